package io.bpfmapd.export;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** No metric view of this name is declared: 404, errno ENOENT. */
class ExportNotFoundException extends ProblemException {

    ExportNotFoundException(String name) {
        super(ProblemType.EXPORT_NOT_FOUND, "no metric view named " + name, null);
    }
}
