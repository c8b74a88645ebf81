package io.bpfmapd.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueTest {

    @Test
    void quotesAndEscapesAnythingThatCouldForgeALine() {
        assertThat(LogValue.of("/api/v1/maps/7")).isEqualTo("/api/v1/maps/7");
        assertThat(LogValue.of(null)).isEqualTo("-");
        assertThat(LogValue.of("")).isEqualTo("-");
        assertThat(LogValue.of("a b")).isEqualTo("\"a b\"");
        assertThat(LogValue.of("x\" status=200\nprincipal=root"))
                .isEqualTo("\"x\\\" status=200\\u000aprincipal=root\"");
        assertThat(LogValue.of("a\rb\u0085c\u2028d\\")).isEqualTo("\"a\\u000db\\u0085c\\u2028d\\\\\"");
        assertThat(LogValue.of(java.nio.file.Path.of("/sys/fs/bpf/x\ny"))).isEqualTo("\"/sys/fs/bpf/x\\u000ay\"");
    }
}
