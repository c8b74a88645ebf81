package io.bpfmapd.map;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import java.util.List;
import java.util.Map;

/**
 * A {@code valueType} the service cannot lay out or will not build BTF for: 400, errno EINVAL (type
 * invalid-request), naming the member by its JSON path as bean validation names a field. Nothing is created.
 */
public class InvalidValueTypeException extends ProblemException {

    private final String error;

    public InvalidValueTypeException(String path, String problem) {
        super(ProblemType.INVALID_REQUEST, path + ": " + problem, null);
        this.error = path + ": " + problem;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of(ProblemWriter.ERRORS, List.of(error));
    }
}
