package io.bpfmapd.map;

import io.bpfmapd.backend.ForwardingMapping;
import io.bpfmapd.backend.Mapping;
import java.util.concurrent.atomic.AtomicBoolean;

/** A mapping that tells its map, once, when it is closed: the map counts what holds its memory. */
final class HeldMapping extends ForwardingMapping {

    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldMapping(Mapping mapping, Runnable onClose) {
        super(mapping);
        this.onClose = onClose;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            if (closed.compareAndSet(false, true)) {
                onClose.run();
            }
        }
    }
}
