package io.bpfmapd.backend;

/** A backend was asked for work on a machine where its probe failed; the reason says why. */
public class BackendUnavailableException extends RuntimeException {

    private final BackendKind backend;

    public BackendUnavailableException(BackendKind backend, String reason) {
        super("backend " + backend + " is unavailable here: " + reason);
        this.backend = backend;
    }

    public BackendKind backend() {
        return backend;
    }
}
