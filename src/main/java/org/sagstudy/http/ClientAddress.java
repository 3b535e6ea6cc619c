package org.sagstudy.http;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a rate limit counts. An IPv4 address is one client; an IPv6 client gets a whole /64 (one network's share, often
 * one household's), so counting single IPv6 addresses would give one attacker 2^64 "clients".
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The client's address as the server sees it (behind a trusted proxy: the forwarded one). */
    public static String of(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /** The limit key of an address: IPv4 as it is, IPv6 as its /64 network, anything unreadable as itself. */
    public static String key(String address) {
        if (address == null || !address.contains(":")) {
            return address == null ? "unknown" : address;
        }
        try {
            // a literal (never a name: InetAddress would look a name up), zone id dropped
            String literal = address.replaceAll("%.*$", "").replace("[", "").replace("]", "");
            if (!literal.matches("[0-9A-Fa-f:.]+")) {
                return address;
            }
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
