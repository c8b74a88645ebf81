package io.bpfmapd.backend;

/** Where a map lives: in the real kernel, or in the in-JVM emulation of it. */
public enum BackendKind {
    EMULATED,
    KERNEL
}
