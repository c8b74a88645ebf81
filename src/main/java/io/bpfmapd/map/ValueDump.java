package io.bpfmapd.map;

import io.bpfmapd.backend.MapGeometry;
import java.io.OutputStream;
import java.util.Arrays;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole map as one JSON answer ({@code GET /maps/{id}/dump}): the data area's stream of values, each
 * {@link MapGeometry#stride()} bytes apart, cut into elements as it passes and each written at once, in
 * the shape of a {@link ValueRangeResponse} from element 0. The heap holds one element and the
 * generator's buffer, whatever the map's size.
 */
final class ValueDump {

    /** The servlet closes its own stream. */
    private static final JsonMapper JSON = JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private ValueDump() {
    }

    static MapService.DataStream.Body json(MapService.DataStream data, MapGeometry geometry, ValueFormat format,
                                           TypedValues type) {
        long entries = Integer.toUnsignedLong(geometry.spec().maxEntries());
        return out -> {
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberProperty("from", 0);
                json.writeNumberProperty("count", entries);
                json.writeStringProperty("format", format.field());
                json.writeName("values");
                json.writeStartArray();
                data.body().writeTo(new Elements(json, geometry, format, type, entries));
                json.writeEndArray();
                json.writeEndObject();
            }
        };
    }

    /** Takes the data area's bytes and writes each whole element as {@code {"index": i, "<format>": value}}. */
    private static final class Elements extends OutputStream {

        private final JsonGenerator json;
        private final ValueFormat format;
        private final TypedValues type;
        private final long entries;
        private final int valueLength;
        private final byte[] element;
        private int filled;
        private long index;

        Elements(JsonGenerator json, MapGeometry geometry, ValueFormat format, TypedValues type, long entries) {
            this.json = json;
            this.format = format;
            this.type = type;
            this.entries = entries;
            this.valueLength = (int) geometry.valueSize();
            this.element = new byte[(int) geometry.stride()];
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, element.length - filled);
                System.arraycopy(b, off, element, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == element.length) {
                    emit();
                    filled = 0;
                }
            }
        }

        private void emit() {
            // a mapping's stream runs on to the end of the last page: nothing there is an element
            if (index >= entries) {
                return;
            }
            byte[] value = Arrays.copyOf(element, valueLength);
            json.writeStartObject();
            json.writeNumberProperty("index", index);
            json.writeName(format.field());
            ValueCodec.write(type != null ? type.value(value) : new EncodedValue(format, value), json);
            json.writeEndObject();
            index++;
        }

        @Override
        public void flush() {
            json.flush();
        }
    }
}
