package io.bpfmapd.map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Value bytes to be written in JSON in one {@link ValueFormat}. They are rendered as the answer is
 * written ({@link ValueCodec.Writer}), straight from the bytes: no string or list of boxed numbers is
 * built first, so an answer holds little more than its value bytes in memory.
 *
 * @param typed how {@link ValueFormat#TYPED} bytes are written (from the map's {@link TypedValues}); null
 *              for the other formats
 */
@JsonSerialize(using = ValueCodec.Writer.class)
public record EncodedValue(ValueFormat format, byte[] bytes, TypedWriter typed) {

    public EncodedValue {
        if ((format == ValueFormat.TYPED) != (typed != null)) {
            throw new IllegalArgumentException("typed values, and only they, need a type");
        }
    }

    public EncodedValue(ValueFormat format, byte[] bytes) {
        this(format, bytes, null);
    }

    /** Writes typed bytes as JSON. */
    @FunctionalInterface
    public interface TypedWriter {
        void write(JsonGenerator out, byte[] bytes);
    }
}
