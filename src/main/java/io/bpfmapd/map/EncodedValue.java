package io.bpfmapd.map;

import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Value bytes to be written in JSON in one {@link ValueFormat}. They are rendered as the answer is
 * written ({@link ValueCodec.Writer}), straight from the bytes: no string or list of boxed numbers is
 * built first, so an answer holds little more than its value bytes in memory.
 */
@JsonSerialize(using = ValueCodec.Writer.class)
public record EncodedValue(ValueFormat format, byte[] bytes) {
}
