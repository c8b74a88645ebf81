package io.bpfmapd.backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MapMathTest {

    @Test
    void elemSizeRoundsUpToEightBytes() {
        assertThat(MapMath.elemSize(1)).isEqualTo(8);
        assertThat(MapMath.elemSize(8)).isEqualTo(8);
        assertThat(MapMath.elemSize(9)).isEqualTo(16);
        assertThat(MapMath.elemSize(12)).isEqualTo(16);
        // value_size is a u32: no overflow at the top of the int range.
        assertThat(MapMath.elemSize(-1)).isEqualTo(0x1_0000_0000L);
    }

    @Test
    void dataSizeIsPageAligned() {
        assertThat(MapMath.dataSize(8, 1)).isEqualTo(4096);
        assertThat(MapMath.dataSize(8, 512)).isEqualTo(4096);
        assertThat(MapMath.dataSize(8, 513)).isEqualTo(8192);
        assertThat(MapMath.dataSize(12, 1000)).isEqualTo(16384);
        assertThat(MapMath.dataSize(8, -1)).isEqualTo(0x8_0000_0000L);
    }

    @Test
    void pageArithmetic() {
        assertThat(MapMath.pageAlign(0)).isZero();
        assertThat(MapMath.pageAlign(1)).isEqualTo(4096);
        assertThat(MapMath.pageAlign(4096)).isEqualTo(4096);
        assertThat(MapMath.isPageAligned(8192)).isTrue();
        assertThat(MapMath.isPageAligned(8)).isFalse();
        assertThat(MapMath.roundUp(17, 5)).isEqualTo(20);
    }
}
