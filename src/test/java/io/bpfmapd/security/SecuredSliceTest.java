package io.bpfmapd.security;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A web slice with the fake API, the fake session owners and four tokens: {@code reader-bot},
 * {@code writer-bot}, {@code admin-bot}, {@code other-writer} (tokens {@link #READER}, {@link #WRITER},
 * {@link #ADMIN}, {@link #OTHER_WRITER}), configured by their SHA-256 only; request bodies up to 1 KiB.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(controllers = FakeApiController.class, properties = {
        "bpfmapd.security.tokens[0].name=reader-bot",
        "bpfmapd.security.tokens[0].roles=reader",
        "bpfmapd.security.tokens[0].sha256=6325623ed87ae49c29ebec5f6f20480fee1376d2e7860dcf011777572a9b17ab",
        "bpfmapd.security.tokens[1].name=writer-bot",
        "bpfmapd.security.tokens[1].roles=writer",
        "bpfmapd.security.tokens[1].sha256=f4aaadef0b5b095fb0672cb7e19de336456937058f3dbcd902de5632ffa8e2a4",
        "bpfmapd.security.tokens[2].name=admin-bot",
        "bpfmapd.security.tokens[2].roles=admin",
        "bpfmapd.security.tokens[2].sha256=c6306ede03d209c4f1c02955c33cb35b246d3ab93c2f985af9ff6519dc29022e",
        "bpfmapd.security.tokens[3].name=other-writer",
        "bpfmapd.security.tokens[3].roles=writer",
        "bpfmapd.security.tokens[3].sha256=00ad9c28069f1beb99d71e223fa0905e275ed05afff6b74d60936538b7ff18eb",
        "bpfmapd.limits.max-request-bytes=1KB",
})
@Import({FakeApiController.class, FakeSessionOwners.class})
@interface SecuredSliceTest {

    String READER = "reader-secret-token-0001";
    String WRITER = "writer-secret-token-0002";
    String ADMIN = "admin-secret-token-0003";
    String OTHER_WRITER = "writer-secret-token-0004";
}
