package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a fault on an emulated map's memory means, and the answer to it. The map's file is mapped
 * MAP_SHARED; a store or load on a page the file no longer has (someone truncated or shrank it) or
 * cannot get (a sparse page on a full file system; {@link MapFile#create} reserves every block so
 * that this cannot happen to a file it made) is a SIGBUS, which the JVM turns into an
 * {@link InternalError} at the faulting access.
 *
 * <p>A file shorter than its layout, or one we cannot find, is broken for good: the map is marked so,
 * and this access and every later one that would touch its memory (lookup, update, freeze, mmap, pin,
 * session reads and writes) is refused with {@link Errno#EIO}, a 500: a failure of the server's
 * storage, not of the request, which no retry mends. A file still whole faulted for space: ENOSPC, a 503,
 * and the map stays usable. A fault ends the access at the page it hit: a value that spans pages may be
 * half-stored, on a map that is then refused as a whole.
 */
final class MapFaults {

    private MapFaults() {
    }

    /**
     * @return the exception to throw for {@code fault}, raised by {@code op} on {@code state}'s memory
     * @throws InternalError {@code fault} itself when it is not a memory access fault
     */
    static BpfException translate(MapState state, String op, InternalError fault) {
        if (!isAccessFault(fault)) {
            throw fault;
        }
        Optional<String> shrunk = shrunk(state);
        if (shrunk.isEmpty()) {
            return new BpfException(Errno.ENOSPC, op, "map " + state.id() + ": a page of its file could not be "
                    + "allocated (the file system is full)");
        }
        state.markBroken();
        BpfException e = new BpfException(Errno.EIO, op, "map " + state.id() + " is broken: " + shrunk.get());
        e.initCause(fault);
        return e;
    }

    /** Refuses any access to the memory of a map found broken. */
    static void refuseIfBroken(MapState state, String op) {
        if (state.broken()) {
            throw new BpfException(Errno.EIO, op, "map " + state.id() + " is broken: its file was truncated "
                    + "under it; delete the map (and its pin) and create it again");
        }
    }

    /**
     * Refuses a change that persists in the file (freeze) unless the file is whole: a file shrunk past
     * the header could otherwise take the change while its data is gone. One stat(2); a map whose file
     * has no name left (its pins removed) cannot be truncated by name, and is not checked.
     */
    static void requireWholeFile(MapState state, String op) {
        refuseIfBroken(state, op);
        if (state.file().isEmpty()) {
            return;
        }
        Optional<String> shrunk = shrunk(state);
        if (shrunk.isPresent()) {
            state.markBroken();
            throw new BpfException(Errno.EIO, op, "map " + state.id() + " is broken: " + shrunk.get());
        }
    }

    /** Why the file is not whole any more, or empty when it still has every byte of its layout. */
    private static Optional<String> shrunk(MapState state) {
        long expected = state.layout().fileSize();
        Optional<Path> file = state.file();
        if (file.isEmpty()) {
            // No link left to look at (its pins were removed): assume the worst.
            return Optional.of("its file has no name left to check");
        }
        try {
            long size = Files.size(file.get());
            return size >= expected ? Optional.empty()
                    : Optional.of("its file " + file.get() + " has " + size + " of its " + expected + " bytes");
        } catch (IOException e) {
            return Optional.of("its file " + file.get() + " cannot be read (" + e + ")");
        }
    }

    /**
     * The JVM's message for a SIGBUS (or SIGSEGV) at an unsafe or memory-segment access:
     * "a fault occurred in an unsafe memory access operation", or "... in a recent unsafe memory access
     * operation in compiled Java code".
     */
    private static boolean isAccessFault(InternalError e) {
        String m = e.getMessage();
        return m != null && m.startsWith("a fault occurred in");
    }
}
