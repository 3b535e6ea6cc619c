package org.sagstudy.database;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} between the processes that share the database: a change is announced inside the
 * transaction that makes it (delivered when it commits), and every process, this one included, hears it on its own
 * connection, outside the pool. After a lost connection (a database restart) the listener reconnects and tells every
 * handler that it may have missed announcements (a {@code null} payload).
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private static final int WAIT_MS = 500;
    private static final int CHECK_EVERY_S = 5;

    private final Jdbi jdbi;
    private final Jdbi unpooled;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> heard = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile Thread listener;

    public Notifications(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password, Jdbi jdbi) {
        this.jdbi = jdbi;
        this.unpooled = Jdbi.create(url, user, password);
    }

    /** {@code handler} gets each payload sent on {@code channel}, and null after a reconnection. */
    public synchronized void listen(String channel, Consumer<String> handler) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("channel names are lower-case words: " + channel);
        }
        CountDownLatch listening = heard.computeIfAbsent(channel, c -> new CountDownLatch(1));
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
        if (listener == null) {
            running = true;
            listener = new Thread(this::listenForever, "sag-notifications");
            listener.setDaemon(true);
            listener.start();
        }
        try {
            // what is cached after this call must not miss an announcement made right after it
            if (!listening.await(5, TimeUnit.SECONDS)) {
                LOG.warnf("notifications: not yet listening on %s (is the database away?)", channel);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Announces {@code payload} on {@code channel} when the current transaction commits. */
    public void announce(String channel, String payload) {
        jdbi.useHandle(handle -> handle.createQuery("SELECT 1 FROM pg_notify(:channel, :payload)")
                .bind("channel", channel).bind("payload", payload).mapTo(Integer.class).one());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** A handler that throws must not end the listening for everyone. */
    private static void deliver(String channel, List<Consumer<String>> list, String payload) {
        for (Consumer<String> handler : list) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf("notifications: a handler of %s failed: %s", channel, e.getMessage());
            }
        }
    }

    /** Channels registered since the last look are listened to from here, the connection's only thread. */
    private void listenToNew(Handle handle, Set<String> listening) {
        for (String channel : handlers.keySet()) {
            if (listening.add(channel)) {
                handle.execute("LISTEN " + channel);
                heard.get(channel).countDown();
            }
        }
    }

    private void listenForever() {
        boolean first = true;
        while (running) {
            try (Handle handle = unpooled.open()) {
                Set<String> listening = new HashSet<>();
                listenToNew(handle, listening);
                if (!first) {
                    handlers.forEach((channel, list) -> deliver(channel, list, null));
                }
                first = false;
                PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
                long checkedAt = System.nanoTime();
                while (running) {
                    listenToNew(handle, listening);
                    PGNotification[] received = pg.getNotifications(WAIT_MS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            deliver(notification.getName(), handlers.getOrDefault(notification.getName(), List.of()),
                                    notification.getParameter());
                        }
                    }
                    if (System.nanoTime() - checkedAt > TimeUnit.SECONDS.toNanos(CHECK_EVERY_S)) {
                        // waiting for notifications sends nothing: a connection that died silently (a network cut,
                        // a failover) is noticed only by using it
                        handle.execute("SELECT 1");
                        checkedAt = System.nanoTime();
                    }
                }
            } catch (SQLException | JdbiException e) {
                if (running) {
                    LOG.debugf("notifications: %s; reconnecting", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }
}
