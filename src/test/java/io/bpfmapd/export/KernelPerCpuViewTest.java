package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.bpfmapd.testing.Bpftool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A view of a real PERCPU_ARRAY: the scrape's read (BPF_MAP_LOOKUP_BATCH, one slot per possible CPU) and the
 * sum, max and cpu-label modes, against the per-CPU values bpftool reads from the same map.
 */
@RequiresKernel
class KernelPerCpuViewTest {

    static final int ENTRIES = 5;
    /** A 16-byte value: 8 bytes of noise, then the u64 the views read (offset 8). */
    static final int VALUE_SIZE = 16;

    KernelBackend kernel;
    MapService maps;
    MapReader reader;
    String mapId;
    Path pin;

    @BeforeEach
    void perCpuMap() {
        Bpftool.require();
        kernel = new KernelBackend();
        ResourceLimits limits = new ResourceLimits(LimitsProperties.defaults());
        maps = new MapService(List.of(kernel), new BackendProperties(BackendKind.KERNEL), new ApiProperties(1024, 1 << 20),
                Clock.systemUTC(), new SimpleMeterRegistry(), limits);
        reader = new MapReader(maps, limits);
        mapId = maps.create(new CreateMapRequest("percpu_view", MapType.PERCPU_ARRAY, null, VALUE_SIZE, ENTRIES,
                List.of(), BackendKind.KERNEL, null)).id();
        pin = PinDir.path("percpu_view");
        maps.withMap(mapId, h -> {
            h.pin(pin);
            return null;
        });
        int cpus = maps.geometry(mapId).possibleCpus();
        for (int i = 0; i < ENTRIES; i++) {
            ByteBuffer value = ByteBuffer.allocate(VALUE_SIZE * cpus).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < cpus; c++) {
                // distinct per element and CPU, the largest on a different CPU for each element
                value.putLong(c * VALUE_SIZE, -1L).putLong(c * VALUE_SIZE + 8, 100L * i + 7L * ((c + i) % cpus) + 1);
            }
            maps.update(mapId, i, value.array(), UpdateFlag.ANY);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (maps != null) {
            maps.closeAll();
        }
        if (kernel != null) {
            kernel.close();
        }
        if (pin != null) {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void sumMaxAndCpuModesAreThePerCpuValuesBpftoolReads() {
        int cpus = maps.geometry(mapId).possibleCpus();
        MapSnapshot snapshot = reader.read(mapId);
        assertThat(snapshot.cpus()).isEqualTo(cpus);

        long[][] truth = new long[ENTRIES][cpus];
        for (int i = 0; i < ENTRIES; i++) {
            ByteBuffer bytes = ByteBuffer.wrap(Bpftool.lookup(pin, i)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.capacity()).as("bpftool's per-CPU value of element %d", i).isEqualTo(VALUE_SIZE * cpus);
            for (int c = 0; c < cpus; c++) {
                truth[i][c] = bytes.getLong(c * VALUE_SIZE + 8);
            }
        }

        Map<String, Double> sum = gauges(view(PerCpuMode.SUM), snapshot);
        Map<String, Double> max = gauges(view(PerCpuMode.MAX), snapshot);
        Map<String, Double> perCpu = gauges(view(PerCpuMode.CPU), snapshot);
        assertThat(perCpu).hasSize(ENTRIES * cpus);
        for (int i = 0; i < ENTRIES; i++) {
            long s = 0;
            long m = Long.MIN_VALUE;
            for (int c = 0; c < cpus; c++) {
                s += truth[i][c];
                m = Math.max(m, truth[i][c]);
                assertThat(perCpu).containsEntry("cpu=" + c + ",index=" + i, (double) truth[i][c]);
            }
            assertThat(sum).containsEntry("index=" + i, (double) s);
            assertThat(max).containsEntry("index=" + i, (double) m);
        }
    }

    @Test
    void theViewChecksAgainstTheRealGeometry() {
        ExportView view = view(PerCpuMode.CPU);
        assertThat(view.check(maps.geometry(mapId))).isEqualTo((long) ENTRIES * maps.geometry(mapId).possibleCpus());
        assertThat(view(PerCpuMode.SUM).check(maps.geometry(mapId))).isEqualTo(ENTRIES);
    }

    private ExportView view(PerCpuMode mode) {
        return ExportView.compile(new ViewSpec("pc", mapId, "percpu_things", null, null, MetricType.GAUGE, null, 8, null,
                null, null, mode, null));
    }

    /** Data points by their labels, "name=value,..." in label order. */
    private static Map<String, Double> gauges(ExportView view, MapSnapshot snapshot) {
        Map<String, Double> out = new HashMap<>();
        for (DataPointSnapshot p : view.points(snapshot, Labels.EMPTY)) {
            StringBuilder key = new StringBuilder();
            for (var label : p.getLabels()) {
                key.append(key.isEmpty() ? "" : ",").append(label.getName()).append('=').append(label.getValue());
            }
            out.put(key.toString(), ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue());
        }
        return out;
    }
}
