package io.bpfmapd.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LogValueTest {

    @Test
    void quotesAndEscapesAnythingThatCouldForgeALine() {
        assertThat(LogValue.of("/api/v1/maps/7")).isEqualTo("/api/v1/maps/7");
        assertThat(LogValue.of(null)).isEqualTo("-");
        assertThat(LogValue.of("")).isEqualTo("-");
        assertThat(LogValue.of("a b")).isEqualTo("\"a b\"");
        assertThat(LogValue.of("x\" status=200\nprincipal=root")).isEqualTo("\"x\\\" status=200\\nprincipal=root\"");
        assertThat(LogValue.of("a\rb\tc\u0085d\u2028e\u001bf\\")).isEqualTo("\"a\\rb\\tc\\u0085d\\u2028e\\u001bf\\\\\"");
        assertThat(LogValue.of(Path.of("/sys/fs/bpf/x\ny"))).isEqualTo("\"/sys/fs/bpf/x\\ny\"");
    }
}
