package io.bpfmapd.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at startup whether running without tokens is safe. On a loopback address only local
 * processes reach the service, as with any local daemon, so it starts open with a loud warning. On
 * any other address (including the wildcard {@code 0.0.0.0}, or {@code server.address} unset) anyone
 * who reaches the port would be admin of kernel memory, so it refuses to start unless
 * {@code bpfmapd.security.allow-open=true} says that is intended.
 */
public final class OpenModeGuard {

    private static final Logger log = LoggerFactory.getLogger(OpenModeGuard.class);

    private OpenModeGuard() {
    }

    /**
     * @param serverAddress the {@code server.address} property, null when unset (all interfaces)
     * @throws IllegalStateException if open mode would be reachable from other hosts and is not allowed
     */
    public static void check(SecurityProperties properties, String serverAddress) {
        if (!properties.open()) {
            return;
        }
        if (isLoopback(serverAddress)) {
            log.warn("""

                    ******************************************************************************
                    bpfmapd runs OPEN: no bearer token is configured, every request is 'anonymous'
                    with the admin role. Only local processes can reach it (bound to {}).
                    Configure bpfmapd.security.tokens or bpfmapd.security.tokens-file to close it.
                    ******************************************************************************""",
                    serverAddress);
            return;
        }
        String where = serverAddress == null ? "all interfaces (server.address unset)" : serverAddress;
        if (!properties.allowOpen()) {
            throw new IllegalStateException("Refusing to start: no bearer token is configured and the server listens on "
                    + where + ", so anyone who reaches the port would be admin. Configure bpfmapd.security.tokens or "
                    + "bpfmapd.security.tokens-file, bind to 127.0.0.1 (server.address), or set "
                    + "bpfmapd.security.allow-open=true if an open service on the network is really intended.");
        }
        log.warn("""

                ******************************************************************************
                bpfmapd runs OPEN ON THE NETWORK ({}): no bearer token is configured and
                bpfmapd.security.allow-open=true, so ANYONE who reaches the port is admin.
                ******************************************************************************""", where);
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            // Every address the name resolves to must be loopback; a literal does not touch DNS.
            for (InetAddress resolved : InetAddress.getAllByName(address.strip())) {
                if (!resolved.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
