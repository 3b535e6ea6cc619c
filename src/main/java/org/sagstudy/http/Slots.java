package org.sagstudy.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.sagstudy.problem.TooMany;

/**
 * At most a fixed number of callers run some work at once; the others wait their turn (first come, first served) for
 * a bounded time, then are refused (429, try again in a second), so a flood queues briefly instead of piling up.
 */
public final class Slots {

    private final Semaphore slots;
    private final Duration wait;

    public Slots(int count, Duration wait) {
        this.slots = new Semaphore(count, true);
        this.wait = wait;
    }

    public <T> T run(Supplier<T> work) {
        try {
            if (!slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TooMany(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TooMany(1);
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
