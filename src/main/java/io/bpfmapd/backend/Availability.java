package io.bpfmapd.backend;

/** The result of a backend's one-time probe: whether it works on this machine and, if not, why. */
public record Availability(boolean available, String reason) {

    public static Availability ok(String reason) {
        return new Availability(true, reason);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
