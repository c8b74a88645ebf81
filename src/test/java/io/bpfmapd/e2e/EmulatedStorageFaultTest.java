package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.PinApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.SmallTmpfs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated backend's data directory full, or a map's file truncated under the service, over HTTP:
 * problem details with an errno (503 ENOSPC, 500 EIO), nothing left behind, nothing half-done, and
 * the maps that were whole stay readable and writable.
 */
class EmulatedStorageFaultTest {

    /** 131072 u64: 1 MiB of data; its file is 1 MiB + 4 KiB with the header page. */
    private static final String ONE_MIB_MAP = """
            {"name": "mib", "type": "ARRAY", "valueSize": 8, "maxEntries": 131072, "flags": ["MMAPABLE"],
             "backend": "EMULATED"}""";
    private static final int MIB = 1 << 20;

    @TempDir
    Path data;

    private ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.enabled=false");
    }

    @Test
    void aFullDataDirectoryAnswers503EnospcAndTheMapsItHoldsStayUsable() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(data, "4m"); ServiceRun run = start()) {
            List<String> made = new ArrayList<>();
            Response refused = null;
            for (int i = 0; i < 8 && refused == null; i++) {
                Response r = run.http.post("/api/v1/maps", ONE_MIB_MAP);
                if (r.status() == 201) {
                    made.add(r.json("$.id"));
                } else {
                    refused = r;
                }
            }
            assertThat(made).as("1 MiB maps created on a 4 MiB tmpfs").hasSize(3);
            assertProblem(refused, 503, "ENOSPC");
            assertThat(mapFiles(data.resolve("anon"))).as("the refused map left no file").hasSize(3);
            assertThat(run.http.get("/api/v1/maps").<List<String>>json("$[*].id")).containsExactlyElementsOf(made);

            byte[] pattern = new byte[MIB];
            for (int i = 0; i < MIB; i++) {
                pattern[i] = (byte) (i * 13 + 1);
            }
            for (String id : made) {
                run.api.write(id, 131071, 77);
                assertThat(run.api.read(id, 131071)).isEqualTo(77);
                Response range = run.http.get("/api/v1/maps/" + id + "/values?from=131070&count=2&format=u64");
                assertThat(range.status()).as(range.toString()).isEqualTo(200);
                // A whole 1 MiB written through a session, then read back the same way.
                Response session = run.http.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}");
                assertThat(session.status()).as(session.toString()).isEqualTo(201);
                String sid = session.json("$.id");
                Response written = run.http.putBytes("/api/v1/sessions/" + sid + "/memory", pattern);
                assertThat(written.status()).as(written.toString()).isEqualTo(204);
                Response back = run.http.getBytes("/api/v1/sessions/" + sid + "/memory");
                assertThat(back.status()).isEqualTo(200);
                assertThat(back.bytes()).isEqualTo(pattern);
                assertThat(run.http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
            }

            // Deleting a map gives its room back.
            assertThat(run.http.delete("/api/v1/maps/" + made.getFirst()).status()).isEqualTo(204);
            assertThat(run.http.post("/api/v1/maps", ONE_MIB_MAP).status()).isEqualTo(201);
            run.api.deleteEverything();
            assertThat(mapFiles(data.resolve("anon"))).isEmpty();
        }
    }

    @Test
    void aTruncatedPinnedMapAnswers500EioAndIsNotFrozen() throws IOException {
        try (ServiceRun run = start()) {
            String id = run.api.create("cut", "EMULATED");
            run.api.write(id, 1, 11);
            assertThat(run.api.pin(id, "cut").status()).isEqualTo(200);
            Response session = run.http.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}");
            assertThat(session.status()).isEqualTo(201);
            String sid = session.json("$.id");

            truncate(data.resolve("pins/cut"), 0);

            String map = "/api/v1/maps/" + id;
            assertProblem(run.http.get(map + "/values/1"), 500, "EIO");
            assertProblem(run.http.put(map + "/values/1", "{\"u64\": [12]}"), 500, "EIO");
            assertProblem(run.http.get(map + "/values"), 500, "EIO");
            assertProblem(run.http.get("/api/v1/sessions/" + sid + "/memory?length=8"), 500, "EIO");
            assertProblem(run.http.put("/api/v1/sessions/" + sid + "/memory", "{\"u64\": [1]}"), 500, "EIO");
            assertProblem(run.http.post(map + "/sessions", "{\"access\": \"READ_ONLY\"}"), 500, "EIO");
            assertProblem(run.http.post(map + "/freeze", null), 500, "EIO");

            Response info = run.http.get(map);
            assertThat(info.status()).as(info.toString()).isEqualTo(200);
            assertThat(info.<Boolean>json("$.frozen")).as("a refused freeze does not freeze").isFalse();

            // The broken map can still be removed, pin and all.
            assertThat(run.http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
            assertThat(run.http.delete(map).status()).isEqualTo(204);
            assertThat(data.resolve("pins/cut")).doesNotExist();
        }
    }

    @Test
    void aPinTruncatedWhileTheServiceWasDownIsNotBroughtBack() throws IOException {
        String id;
        try (ServiceRun run = start()) {
            id = run.api.create("short", "EMULATED");
            assertThat(run.api.pin(id, "short").status()).isEqualTo(200);
        }
        Path pin = data.resolve("pins/short");
        truncate(pin, Files.size(pin) - 4096);
        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps/" + id).status()).isEqualTo(404);
            assertThat(run.http.get("/api/v1/maps").body()).isEqualTo("[]");
            assertThat(run.http.get("/actuator/health").status()).isEqualTo(200);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static List<String> mapFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".map")).toList();
        }
    }
}
