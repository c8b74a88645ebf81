package io.bpfmapd.backend.kernel.sys;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FdInfoTest {

    @Test
    void parsesAMapsFdinfoAsLinux618PrintsIt() {
        FdInfo info = FdInfo.parse("""
                pos:\t0
                flags:\t02000002
                mnt_id:\t15
                ino:\t2057
                map_type:\t2
                key_size:\t4
                value_size:\t8
                max_entries:\t16
                map_flags:\t0x400
                map_extra:\t0x0
                memlock:\t8192
                map_id:\t181
                frozen:\t1
                """);
        assertThat(info.mapType()).contains(2);
        assertThat(info.frozen()).isTrue();
        assertThat(info.fields()).containsEntry("map_id", "181");
    }

    @Test
    void aProgramHasNoMapTypeAndIsNotFrozen() {
        FdInfo info = FdInfo.parse("pos:\t0\nprog_type:\t1\nprog_jited:\t1\n");
        assertThat(info.mapType()).isEmpty();
        assertThat(info.frozen()).isFalse();
    }
}
