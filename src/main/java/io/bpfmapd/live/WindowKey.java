package io.bpfmapd.live;

import io.bpfmapd.map.ValueFormat;
import java.time.Duration;

/**
 * What a value stream watches and how: subscribers that ask for the same key share one
 * {@link WindowReader} (one mapping, one compare and one encoding per interval).
 */
record WindowKey(String mapId, int from, int count, ValueFormat format, boolean rate, Duration interval) {
}
