package io.bpfmapd.live;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.bpfmapd.map.EncodedValue;
import java.util.Map;

/**
 * One changed element in a {@code changes} event: the shape of a range read's element
 * ({@code {"index": 3, "u64": [7]}}), with {@code rate} when the stream asked for {@code rate=true}: per
 * integer of the value, its change per second since the reader's previous read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StreamValue(int index, @JsonIgnore EncodedValue value, double[] rate) {

    @JsonAnyGetter
    Map<String, EncodedValue> valueField() {
        return Map.of(value.format().field(), value);
    }
}
