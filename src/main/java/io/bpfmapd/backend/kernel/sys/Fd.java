package io.bpfmapd.backend.kernel.sys;

import java.util.concurrent.atomic.AtomicBoolean;

/** An owned file descriptor (a map, program or BTF object); {@link #close()} closes it exactly once. */
public final class Fd implements AutoCloseable {

    private final int value;
    private final AtomicBoolean closed = new AtomicBoolean();

    Fd(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.close(value);
        }
    }

    @Override
    public String toString() {
        return "fd " + value;
    }
}
