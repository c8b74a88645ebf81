package io.bpfmapd.backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapGeometryTest {

    private static final long KIB_4 = 4096;
    private static final long KIB_64 = 64 * 1024;

    private static MapGeometry array(int valueSize, int maxEntries, long pageSize, MapFlag... flags) {
        int bits = 0;
        for (MapFlag f : flags) {
            bits |= f.bit();
        }
        return MapGeometry.of(new MapSpec("g", MapType.ARRAY, 4, valueSize, maxEntries, bits, false), 4, pageSize);
    }

    private static MapGeometry percpu(int valueSize, int maxEntries, int cpus) {
        return MapGeometry.of(new MapSpec("g", MapType.PERCPU_ARRAY, 4, valueSize, maxEntries, 0, false), cpus, KIB_4);
    }

    @Test
    void elemSizeRoundsUpToEightBytes() {
        assertThat(MapGeometry.elemSize(1)).isEqualTo(8);
        assertThat(MapGeometry.elemSize(8)).isEqualTo(8);
        assertThat(MapGeometry.elemSize(9)).isEqualTo(16);
        assertThat(MapGeometry.elemSize(12)).isEqualTo(16);
        // value_size is a u32: no overflow at the top of the int range.
        assertThat(MapGeometry.elemSize(-1)).isEqualTo(0x1_0000_0000L);
    }

    @Test
    void dataSizeIsPageAlignedToTheBackendsPageSize() {
        assertThat(array(8, 1, KIB_4).dataSize()).isEqualTo(4096);
        assertThat(array(8, 512, KIB_4).dataSize()).isEqualTo(4096);
        assertThat(array(8, 513, KIB_4).dataSize()).isEqualTo(8192);
        assertThat(array(12, 1000, KIB_4).dataSize()).isEqualTo(16384);
        assertThat(array(8, -1, KIB_4).dataSize()).isEqualTo(0x8_0000_0000L);
        // arm64 with 64 KiB pages: the same maps take one page.
        assertThat(array(8, 1, KIB_64).dataSize()).isEqualTo(KIB_64);
        assertThat(array(12, 1000, KIB_64).dataSize()).isEqualTo(KIB_64);
        assertThat(array(8, 8193, KIB_64).dataSize()).isEqualTo(2 * KIB_64);
    }

    @Test
    void arrayLookupsReturnValueSizeAndElementsAreElemSizeApart() {
        MapGeometry g = array(12, 10, KIB_4);
        assertThat(g.valueSize()).isEqualTo(12);
        assertThat(g.stride()).isEqualTo(16);
        assertThat(g.offsetOf(3)).isEqualTo(48);
        assertThat(g.offsetOf(-1)).as("a u32 index").isEqualTo(0xffff_ffffL * 16);
        assertThat(g.typeHasMmap()).isTrue();
    }

    @Test
    void perCpuLookupsReturnElemSizeForEachPossibleCpu() {
        MapGeometry g = percpu(12, 10, 3);
        assertThat(g.elemSize()).isEqualTo(16);
        assertThat(g.valueSize()).isEqualTo(48);
        assertThat(g.stride()).isEqualTo(48);
        assertThat(g.memorySize()).isEqualTo(480);
        assertThat(g.typeHasMmap()).isFalse();
    }

    @Test
    void memoryIsPageAlignedOnlyWhenMmapable() {
        assertThat(array(12, 10, KIB_4).memorySize()).isEqualTo(160);
        assertThat(array(12, 10, KIB_4, MapFlag.MMAPABLE).memorySize()).isEqualTo(4096);
        assertThat(array(12, 10, KIB_64, MapFlag.MMAPABLE).memorySize()).isEqualTo(KIB_64);
        assertThat(array(0, 5, KIB_4).memorySize()).isZero();
        assertThat(array(-1, -1, KIB_4).memorySize()).as("saturates, never wraps").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pageArithmetic() {
        MapGeometry small = array(8, 1, KIB_4);
        assertThat(small.pageAlign(0)).isZero();
        assertThat(small.pageAlign(1)).isEqualTo(4096);
        assertThat(small.pageAlign(4096)).isEqualTo(4096);
        assertThat(small.pageStart(4097)).isEqualTo(4096);
        assertThat(small.isPageAligned(8192)).isTrue();
        assertThat(small.isPageAligned(8)).isFalse();
        MapGeometry large = array(8, 1, KIB_64);
        assertThat(large.pageAlign(4097)).isEqualTo(KIB_64);
        assertThat(large.isPageAligned(8192)).isFalse();
        assertThat(large.pageStart(3 * KIB_64 + 5)).isEqualTo(3 * KIB_64);
        assertThat(MapGeometry.roundUp(17, 5)).isEqualTo(20);
        assertThat(MapGeometry.roundUp(Long.MAX_VALUE - 1, 8)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void thePageSizeIsAPowerOfTwo() {
        assertThatThrownBy(() -> array(8, 1, 3000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> array(8, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
