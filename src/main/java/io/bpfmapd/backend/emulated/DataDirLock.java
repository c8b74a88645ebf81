package io.bpfmapd.backend.emulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive hold of one process on a data directory: a lock on {@code <dataDir>/.lock}, taken
 * before anything in the directory is swept or rewritten and held until {@link #close()} (or the
 * process's end: the kernel drops the lock of a killed process, so no stale lock needs clearing).
 * Without it a second instance on the same directory sweeps {@code anon/} under the first one's live
 * maps and rewrites its {@code pins.json}.
 * <p>
 * The lock is a POSIX record lock ({@link FileChannel#tryLock()} is {@code fcntl(F_SETLK)}), which is
 * held per process: a second attempt from the same JVM would not fail at the kernel, and closing any
 * descriptor of the file would drop the lock (fcntl(2), "Advisory record locking"). So holders within
 * this JVM are kept in {@link #HELD}, checked before the file is even opened.
 */
public final class DataDirLock implements AutoCloseable {

    /** The lock file's name in the data directory. */
    public static final String FILE_NAME = ".lock";

    /** Lock files held by this JVM, by real path. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (created if missing).
     *
     * @throws DataDirLockedException another process, or another backend in this JVM, holds it
     * @throws UncheckedIOException   the directory or its lock file cannot be created or opened
     */
    public static DataDirLock acquire(Path dataDir) {
        Path file;
        try {
            Files.createDirectories(dataDir);
            file = dataDir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        if (!HELD.add(file)) {
            throw new DataDirLockedException(file.getParent(), "another backend in this process holds it");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new DataDirLockedException(file.getParent(), "another process holds " + file);
            }
            return new DataDirLock(file, channel, lock);
        } catch (OverlappingFileLockException e) {
            // Held through a channel this class did not open; refused all the same.
            closeQuietly(channel);
            HELD.remove(file);
            throw new DataDirLockedException(file.getParent(), "this process holds " + file + " already");
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw new UncheckedIOException("cannot lock the data directory through " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it all the same
        }
        closeQuietly(channel);
        HELD.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held through it
            }
        }
    }
}
