package io.bpfmapd.security;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.limits.LimitExceededException;
import java.net.URI;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stands in for the API's controllers in the security slice tests: every endpoint shape of
 * {@code /api/v1}, answering 2xx, except a freeze of map 9, which fails with EBUSY as the kernel would (answered by the API's own
 * {@code ApiExceptionHandler}, which the slice loads),
 * and a pin of map {@code full}, which hits a limit.
 * A {@link TestComponent}, so component scanning of other tests never picks it up; the slice imports it.
 */
@TestComponent
@RestController
@RequestMapping("/api/v1")
class FakeApiController {

    @GetMapping({"/maps", "/maps/{id}", "/maps/{id}/values/{index}", "/sessions", "/sessions/{sid}", "/sessions/{sid}/memory"})
    String read() {
        return "{}";
    }

    @PostMapping({"/maps", "/maps/import"})
    ResponseEntity<String> create() {
        return ResponseEntity.created(URI.create("/api/v1/maps/42")).body("{}");
    }

    @PostMapping("/maps/{id}/freeze")
    String freeze(@PathVariable String id) {
        if (id.equals("9")) {
            throw new BpfException(Errno.EBUSY, "freeze", "a writable mapping exists");
        }
        return "{}";
    }

    @PostMapping("/maps/{id}/pin")
    String pin(@PathVariable String id) {
        if (id.equals("full")) {
            throw LimitExceededException.full("bpfmapd.limits.max-maps", 3, Errno.ENOSPC, "the service holds 3 maps already");
        }
        return "{}";
    }

    @DeleteMapping({"/maps/{id}", "/sessions/{sid}"})
    ResponseEntity<Void> delete() {
        return ResponseEntity.noContent().build();
    }

    @PutMapping({"/maps/{id}/values/{index}", "/sessions/{sid}/memory"})
    String write() {
        return "{}";
    }

    @PostMapping("/maps/{id}/sessions")
    ResponseEntity<String> open() {
        return ResponseEntity.created(URI.create("/api/v1/sessions/s-1")).body("{}");
    }

    @PostMapping("/sessions/{sid}/renew")
    String renew() {
        return "{}";
    }
}
