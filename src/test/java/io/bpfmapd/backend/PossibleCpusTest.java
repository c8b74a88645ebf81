package io.bpfmapd.backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PossibleCpusTest {

    @Test
    void parsesCpuLists() {
        assertThat(PossibleCpus.parse("0")).isEqualTo(1);
        assertThat(PossibleCpus.parse("0-3")).isEqualTo(4);
        assertThat(PossibleCpus.parse("0-3,8-11")).isEqualTo(8);
        assertThat(PossibleCpus.parse("0,2,4-5")).isEqualTo(4);
    }

    @Test
    void countsAtLeastTheOnlineCpus() {
        assertThat(PossibleCpus.count()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
