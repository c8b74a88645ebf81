package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.security.TokenHash;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Load with the invariants kept, over real HTTP, the same for every backend (a subclass
 * names it). {@value #WORKERS} writers, each its own principal, open, write through, renew and close
 * sessions, update values and read ranges on shared maps; an admin creates maps and tries to freeze
 * them while writers hold writable sessions on them; a monitor watches every map; and
 * {@value #VANISHING} clients open writable sessions on one map and vanish. At the end: no 5xx, no
 * invariant broken, no session left, the vanished leases gone within TTL + one sweep with the freeze
 * they blocked accepted then, and the counters of {@code /actuator/prometheus} equal to what the
 * clients saw. The load lasts {@code -Dbpfmapd.stress.seconds} (default 15).
 */
@TemporaryDataDir
abstract class AbstractStressTest {

    static final int WORKERS = 8;
    static final int VANISHING = 6;
    static final int SLOTS_PER_WORKER = 64;
    static final long VANISH_TTL_SECONDS = 2;
    static final Duration SWEEP = Duration.ofMillis(250);
    static final Duration LOAD = Duration.ofSeconds(Long.getLong("bpfmapd.stress.seconds", 15));

    @DynamicPropertySource
    static void service(DynamicPropertyRegistry registry) throws IOException {
        registry.add("bpfmapd.sessions.sweep-interval", () -> SWEEP.toMillis() + "ms");
        int i = 0;
        registry.add("bpfmapd.security.tokens[" + i + "].name", () -> "admin");
        registry.add("bpfmapd.security.tokens[" + i + "].roles", () -> "admin");
        registry.add("bpfmapd.security.tokens[" + i + "].sha256", () -> TokenHash.sha256Hex("stress-admin"));
        for (int w = 0; w < WORKERS + VANISHING; w++) {
            int n = ++i;
            String name = "client-" + w;
            registry.add("bpfmapd.security.tokens[" + n + "].name", () -> name);
            registry.add("bpfmapd.security.tokens[" + n + "].roles", () -> "writer");
            registry.add("bpfmapd.security.tokens[" + n + "].sha256", () -> TokenHash.sha256Hex("stress-" + name));
        }
    }

    @LocalServerPort
    int port;

    /** "KERNEL" or "EMULATED": where this run's maps live. */
    abstract String backend();

    /** Fails if the backend still holds a map or a mapping once everything was deleted and closed. */
    abstract void assertBackendHoldsNothing();

    /** What the clients saw, to compare with the service's own counters. */
    static final class Tally {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong serverErrors = new AtomicLong();
        final AtomicLong sessionsOpened = new AtomicLong();
        final AtomicLong sessionsRefusedFrozen = new AtomicLong();
        final AtomicLong sessionsClosed = new AtomicLong();
        final AtomicLong bytesWritten = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong freezesOk = new AtomicLong();
        final AtomicLong freezesBusy = new AtomicLong();
        final AtomicLong valueUpdates = new AtomicLong();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        void violation(String what) {
            if (violations.size() < 20) {
                violations.add(what);
            }
        }
    }

    final Tally tally = new Tally();
    final List<String> sharedMaps = new ArrayList<>();
    final AtomicReference<String> freezeTarget = new AtomicReference<>();
    final Set<String> frozenMaps = ConcurrentHashMap.newKeySet();

    ApiClient as(String token) {
        return ApiClient.at(port).as(token);
    }

    /** Sends, counts, and records any 5xx as a violation. */
    Response call(ApiClient client, String method, String path, String json) {
        Response r = json == null
                ? client.send(method, path, null, null, "application/json")
                : client.send(method, path, "application/json", json.getBytes(), "application/json");
        tally.requests.incrementAndGet();
        if (r.status() >= 500) {
            tally.serverErrors.incrementAndGet();
            tally.violation(method + " " + path + " -> " + r.status() + " " + r.body());
        }
        return r;
    }

    String createMap(ApiClient admin, int entries) {
        Response r = call(admin, "POST", "/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": "
                + entries + ", \"flags\": [\"MMAPABLE\"], \"backend\": \"" + backend() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    @Test
    void manyClientsKeepEveryInvariantAndTheCountersAgree() throws Exception {
        ApiClient admin = as("stress-admin");
        for (int i = 0; i < 3; i++) {
            sharedMaps.add(createMap(admin, WORKERS * SLOTS_PER_WORKER));
        }
        String vanishMap = createMap(admin, 512);
        PrometheusScrape before = scrape(admin);

        // Clients that open writable sessions and vanish: their leases must expire under load.
        Instant lastExpiry = Instant.MIN;
        for (int v = 0; v < VANISHING; v++) {
            Response r = call(as("stress-client-" + (WORKERS + v)), "POST", "/api/v1/maps/" + vanishMap + "/sessions",
                    "{\"access\": \"READ_WRITE\", \"ttlSeconds\": " + VANISH_TTL_SECONDS + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            tally.sessionsOpened.incrementAndGet();
            Instant expiry = Instant.parse(r.json().get("expiresAt").asString());
            lastExpiry = expiry.isAfter(lastExpiry) ? expiry : lastExpiry;
        }
        Response refused = call(admin, "POST", "/api/v1/maps/" + vanishMap + "/freeze", null);
        assertThat(refused.status()).as("freeze while the vanished clients' leases live").isEqualTo(409);
        tally.freezesBusy.incrementAndGet();

        Instant deadline = Instant.now().plus(LOAD);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            threads.add(Thread.ofVirtual().name("stress-worker-" + w).start(() -> work(worker, deadline)));
        }
        threads.add(Thread.ofVirtual().name("stress-freezer").start(() -> freeze(admin, deadline)));
        threads.add(Thread.ofVirtual().name("stress-monitor").start(() -> monitor(admin, deadline)));
        AtomicReference<Instant> vanishFrozenAt = new AtomicReference<>();
        threads.add(Thread.ofVirtual().name("stress-vanish-watch").start(() -> {
            while (Instant.now().isBefore(deadline.plusSeconds(10)) && vanishFrozenAt.get() == null) {
                Response r = call(admin, "POST", "/api/v1/maps/" + vanishMap + "/freeze", null);
                if (r.status() == 200) {
                    vanishFrozenAt.set(Instant.now());
                    tally.freezesOk.incrementAndGet();
                } else if (r.status() == 409) {
                    tally.freezesBusy.incrementAndGet();
                    sleep(50);
                } else {
                    tally.violation("freeze of the vanish map -> " + r.status() + " " + r.body());
                    return;
                }
            }
        }));
        for (Thread t : threads) {
            t.join();
        }

        // Leases of vanished clients: gone within TTL + one sweep (plus scheduling slack), never before.
        assertThat(vanishFrozenAt.get()).as("the freeze blocked by vanished clients never succeeded").isNotNull();
        Duration recovery = Duration.between(lastExpiry, vanishFrozenAt.get());
        assertThat(recovery).as("freeze accepted before the leases expired").isGreaterThan(Duration.ofMillis(-50));
        assertThat(recovery).as("lease expiry later than TTL + one sweep").isLessThan(SWEEP.plusMillis(1000));

        Response sessions = admin.get("/api/v1/sessions");
        assertThat(sessions.json().size()).as("sessions left: %s", sessions.body()).isZero();

        PrometheusScrape after = scrape(admin);
        long expired = delta(before, after, "bpfmapd_sessions_expired_total");
        String report = String.format("backend=%s seconds=%d requests=%d 5xx=%d violations=%d sessions=%d "
                        + "closed=%d expired=%d refusedFrozen=%d valueUpdates=%d freezes ok=%d busy=%d "
                        + "bytesWritten=%d bytesRead=%d leakedSessions=%d recoveryMs=%d",
                backend(), LOAD.toSeconds(), tally.requests.get(), tally.serverErrors.get(), tally.violations.size(),
                tally.sessionsOpened.get(), tally.sessionsClosed.get(), expired, tally.sessionsRefusedFrozen.get(),
                tally.valueUpdates.get(), tally.freezesOk.get(), tally.freezesBusy.get(), tally.bytesWritten.get(),
                tally.bytesRead.get(), sessions.json().size(), recovery.toMillis());
        System.out.println("stress: " + report);
        Files.writeString(Path.of("target", "stress-" + backend().toLowerCase() + ".txt"), report + "\n");

        assertThat(tally.violations).as("5xx and broken invariants").isEmpty();
        assertThat(tally.serverErrors.get()).isZero();
        assertThat(after.serverErrors("http_server_requests_seconds_count")).as("5xx the server counted").isZero();
        assertThat(delta(before, after, "bpfmapd_sessions_opened_total", "outcome=\"ok\""))
                .isEqualTo(tally.sessionsOpened.get());
        assertThat(delta(before, after, "bpfmapd_sessions_opened_total", "outcome=\"EPERM\""))
                .isEqualTo(tally.sessionsRefusedFrozen.get());
        assertThat(delta(before, after, "bpfmapd_sessions_closed_total")).isEqualTo(tally.sessionsClosed.get());
        assertThat(expired).isEqualTo(VANISHING);
        assertThat(tally.sessionsOpened.get()).isEqualTo(tally.sessionsClosed.get() + expired);
        assertThat(delta(before, after, "bpfmapd_session_bytes_written_total")).isEqualTo(tally.bytesWritten.get());
        assertThat(delta(before, after, "bpfmapd_session_bytes_read_total")).isEqualTo(tally.bytesRead.get());
        assertThat(delta(before, after, "bpfmapd_freezes_total", "outcome=\"ok\"")).isEqualTo(tally.freezesOk.get());
        assertThat(delta(before, after, "bpfmapd_freezes_total", "outcome=\"EBUSY\"")).isEqualTo(tally.freezesBusy.get());
        assertThat(after.sum("bpfmapd_sessions_active")).isZero();
        assertThat(tally.freezesOk.get()).as("the freezer never won a race").isGreaterThan(1);
        assertThat(tally.freezesBusy.get()).as("no freeze was ever refused").isGreaterThan(1);

        for (JsonNode map : admin.get("/api/v1/maps").json()) {
            assertThat(call(admin, "DELETE", "/api/v1/maps/" + map.get("id").asString(), null).status()).isEqualTo(204);
        }
        assertBackendHoldsNothing();
    }

    /** One writer: sessions opened, written through, checked against lookup, renewed and closed; values; reads. */
    private void work(int worker, Instant deadline) {
        ApiClient me = as("stress-client-" + worker);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long sequence = 0;
        while (Instant.now().isBefore(deadline)) {
            String target = freezeTarget.get();
            boolean onTarget = target != null && random.nextInt(100) < 30;
            String map = onTarget ? target : sharedMaps.get(random.nextInt(sharedMaps.size()));
            int slot = worker * SLOTS_PER_WORKER + random.nextInt(SLOTS_PER_WORKER);
            long value = ((long) worker << 48) | ++sequence;
            int op = random.nextInt(100);
            if (op < 45) {
                sessionCycle(me, map, slot, value, onTarget);
            } else if (op < 70 && !onTarget) {
                Response r = call(me, "PUT", "/api/v1/maps/" + map + "/values/" + slot, "{\"u64\": [" + value + "]}");
                expect(r, 204, "update");
                tally.valueUpdates.incrementAndGet();
                Response back = call(me, "GET", "/api/v1/maps/" + map + "/values/" + slot + "?format=u64", null);
                if (back.status() == 200 && back.json().get("u64").get(0).asLong() != value) {
                    tally.violation("lookup after update of " + map + "[" + slot + "] = " + back.body() + ", wrote " + value);
                }
            } else if (op < 85) {
                Response r = call(me, "POST", "/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\", \"ttlSeconds\": 30}");
                if (expect(r, 201, "open read-only")) {
                    tally.sessionsOpened.incrementAndGet();
                    String sid = r.json().get("id").asString();
                    expect(call(me, "GET", "/api/v1/maps/" + map + "/values?from=" + worker * SLOTS_PER_WORKER
                            + "&count=16", null), 200, "range");
                    close(me, sid);
                }
            } else {
                expect(call(me, "GET", "/api/v1/maps", null), 200, "list maps");
                expect(call(me, "GET", "/api/v1/sessions", null), 200, "list sessions");
            }
        }
    }

    private void sessionCycle(ApiClient me, String map, int slot, long value, boolean onTarget) {
        Response r = call(me, "POST", "/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 30}");
        if (r.status() == 403 && "EPERM".equals(errno(r))) {
            // a writable mapping of a frozen map: mm refused, as bpf_map_mmap does
            tally.sessionsRefusedFrozen.incrementAndGet();
            if (!onTarget && !frozenMaps.contains(map)) {
                tally.violation("EPERM on a map never frozen: " + map);
            }
            return;
        }
        if (!expect(r, 201, "open read-write")) {
            return;
        }
        tally.sessionsOpened.incrementAndGet();
        String sid = r.json().get("id").asString();
        long offset = (long) slot * 8;
        for (int i = 0; i < 2; i++) {
            long v = value + ((long) i << 32);
            if (expect(call(me, "PUT", "/api/v1/sessions/" + sid + "/memory?offset=" + offset, "{\"u64\": [" + v + "]}"),
                    204, "write through session")) {
                tally.bytesWritten.addAndGet(8);
                Response lookup = call(me, "GET", "/api/v1/maps/" + map + "/values/" + slot + "?format=u64", null);
                if (lookup.status() == 200 && lookup.json().get("u64").get(0).asLong() != v) {
                    tally.violation("bytes written through session " + sid + " not seen by lookup: " + lookup.body());
                }
                Response through = me.send("GET", "/api/v1/sessions/" + sid + "/memory?offset=" + offset + "&length=8",
                        null, null, "application/octet-stream");
                tally.requests.incrementAndGet();
                if (expect(through, 200, "read through session")) {
                    tally.bytesRead.addAndGet(8);
                    long seen = java.nio.ByteBuffer.wrap(through.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                    if (seen != v) {
                        tally.violation("read through session " + sid + " saw " + seen + ", wrote " + v);
                    }
                }
            }
        }
        expect(call(me, "POST", "/api/v1/sessions/" + sid + "/renew", "{\"ttlSeconds\": 30}"), 200, "renew");
        close(me, sid);
    }

    private void close(ApiClient me, String sid) {
        if (expect(call(me, "DELETE", "/api/v1/sessions/" + sid, null), 204, "close")) {
            tally.sessionsClosed.incrementAndGet();
        }
    }

    /**
     * The admin: a fresh map, frozen as soon as no writer holds a writable session on it, again and again.
     * Old targets stay (writers may still use them) and are deleted at the end.
     */
    private void freeze(ApiClient admin, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            String map = createMap(admin, 512);
            freezeTarget.set(map);
            Instant giveUp = Instant.now().plusMillis(1500);
            while (Instant.now().isBefore(giveUp) && Instant.now().isBefore(deadline)) {
                Response r = call(admin, "POST", "/api/v1/maps/" + map + "/freeze", null);
                if (r.status() == 200) {
                    frozenMaps.add(map);
                    tally.freezesOk.incrementAndGet();
                    JsonNode frozen = r.json();
                    if (!frozen.get("frozen").asBoolean() || frozen.get("sessions").get("writable").asInt() != 0) {
                        tally.violation("freeze answered " + r.body());
                    }
                    sleep(300); // let writers meet EPERM on it
                    break;
                }
                if (expect(r, 409, "freeze") && "EBUSY".equals(errno(r))) {
                    tally.freezesBusy.incrementAndGet();
                }
                sleep(30);
            }
        }
        freezeTarget.set(null);
    }

    /** Never a frozen map with a writable session; counts that add up. */
    private void monitor(ApiClient admin, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            Response r = call(admin, "GET", "/api/v1/maps", null);
            if (r.status() == 200) {
                for (JsonNode map : r.json()) {
                    int active = map.get("sessions").get("active").asInt();
                    int writable = map.get("sessions").get("writable").asInt();
                    if (writable < 0 || writable > active) {
                        tally.violation("session counts " + map.get("sessions") + " on " + map.get("id"));
                    }
                    if (map.get("frozen").asBoolean() && writable > 0) {
                        tally.violation("frozen map " + map.get("id") + " with " + writable + " writable sessions");
                    }
                }
            }
            sleep(200);
        }
    }

    private boolean expect(Response r, int status, String what) {
        if (r.status() == status) {
            return true;
        }
        if (r.status() < 500) {
            tally.violation(what + ": expected " + status + ", got " + r.status() + " " + r.body());
        }
        return false;
    }

    private static String errno(Response r) {
        JsonNode errno = r.json().get("errno");
        return errno == null ? null : errno.asString();
    }

    private PrometheusScrape scrape(ApiClient admin) {
        Response r = admin.send("GET", "/actuator/prometheus", null, null, "text/plain");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new PrometheusScrape(r.body());
    }

    private static long delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return Math.round(after.sum(name, labels) - before.sum(name, labels));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
