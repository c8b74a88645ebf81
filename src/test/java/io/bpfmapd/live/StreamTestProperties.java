package io.bpfmapd.live;

/** The stream settings of the stream tests: a short heartbeat, room for the 100-subscriber test and a little more. */
final class StreamTestProperties {

    static final int MAX_SUBSCRIBERS = 104;

    static final String HEARTBEAT = "bpfmapd.streams.heartbeat=500ms";
    static final String LIMIT = "bpfmapd.streams.max-subscribers=" + MAX_SUBSCRIBERS;

    private StreamTestProperties() {
    }
}
