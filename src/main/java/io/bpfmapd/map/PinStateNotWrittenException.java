package io.bpfmapd.map;

import io.bpfmapd.backend.IoErrno;
import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code pins.json} could not be written, so the pin or import that needed it was undone: a pin the
 * service would forget at its next start is a leak. Answered as {@link ProblemType#PIN_STATE_NOT_WRITTEN}
 * (503: the machine's disk, not the request, is at fault, and the same request succeeds once an operator
 * has made room or made the directory writable) with the errno of the failed write, EACCES, ENOSPC,
 * EROFS, EDQUOT or EIO, so that the operator can tell which.
 */
public class PinStateNotWrittenException extends ProblemException {

    static final String OPERATION = "pins.json write";

    PinStateNotWrittenException(Path file, IOException cause) {
        super(ProblemType.PIN_STATE_NOT_WRITTEN, IoErrno.of(cause), "cannot write the pin state file " + file + " ("
                + cause.getMessage() + "); nothing was pinned or imported", cause);
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of(io.bpfmapd.web.ProblemWriter.OPERATION, OPERATION);
    }
}
