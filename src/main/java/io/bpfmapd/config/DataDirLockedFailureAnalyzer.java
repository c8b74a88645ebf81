package io.bpfmapd.config;

import io.bpfmapd.backend.emulated.DataDirLock;
import io.bpfmapd.backend.emulated.DataDirLockedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start on a data directory another instance holds into Spring Boot's "APPLICATION FAILED TO
 * START" report with the directory and what to do, instead of a bean-creation stack trace. Registered
 * in {@code META-INF/spring.factories}.
 */
class DataDirLockedFailureAnalyzer extends AbstractFailureAnalyzer<DataDirLockedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirLockedException cause) {
        return new FailureAnalysis(cause.getMessage() + ". Nothing in it was touched.",
                "Stop the other instance, or give this one another directory with bpfmapd.emulated.data-dir. "
                        + "The lock is held on " + cause.dataDir().resolve(DataDirLock.FILE_NAME)
                        + " for the life of the instance and dropped when its process ends.", cause);
    }
}
