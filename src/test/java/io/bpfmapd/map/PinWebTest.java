package io.bpfmapd.map;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.web.CurrentPrincipal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The pin and import endpoints' statuses and problem details, over a mocked {@link PinService}. */
@WebMvcTest(PinController.class)
class PinWebTest {

    private static final String MAP = "5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    PinService pins;

    @MockitoBean
    SessionCounter sessions;

    @MockitoBean
    CurrentPrincipal principal;

    @BeforeEach
    void defaults() {
        when(sessions.countFor(anyString())).thenReturn(SessionCounts.NONE);
    }

    static MapView view(String pinnedPath) {
        MapSpec spec = new MapSpec("agent", MapType.ARRAY, 4, 8, 16, MapFlag.MMAPABLE.bit(), false);
        return new MapView(MAP, BackendKind.KERNEL, Instant.parse("2026-01-01T00:00:00Z"),
                new MapInfo(spec, 77, false, 0, 0, Optional.of(Path.of(pinnedPath))), MapGeometry.of(spec, 2, 4096));
    }

    @Test
    void importIs201WithLocationKernelIdAndPinnedPath() throws Exception {
        when(pins.importMap(any())).thenReturn(view("/sys/fs/bpf/agent"));

        mvc.perform(post("/api/v1/maps/import").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"path\": \"/sys/fs/bpf/agent\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/maps/" + MAP))
                .andExpect(jsonPath("$.kernelId").value(77))
                .andExpect(jsonPath("$.pinnedPath").value("/sys/fs/bpf/agent"));
    }

    @Test
    void pinIs200WithThePinnedMap() throws Exception {
        when(pins.pin(eq(MAP), any())).thenReturn(view("/sys/fs/bpf/counters"));

        mvc.perform(post("/api/v1/maps/{id}/pin", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"path\": \"counters\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.pinnedPath").value("/sys/fs/bpf/counters"));
    }

    @Test
    void aPathOutsideTheRootIsA400Einval() throws Exception {
        when(pins.importMap(any())).thenThrow(new BpfException(Errno.EXDEV, "BPF_OBJ_GET", "escape resolves outside /sys/fs/bpf"));

        mvc.perform(post("/api/v1/maps/import").contentType(MediaType.APPLICATION_JSON).content("{\"path\": \"escape\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:exdev"))
                .andExpect(jsonPath("$.errno").value("EXDEV"))
                .andExpect(jsonPath("$.operation").value("BPF_OBJ_GET"));
    }

    @Test
    void noBpffsIsA503NamingTheBackend() throws Exception {
        when(pins.importMap(any())).thenThrow(new BackendUnavailableException(BackendKind.KERNEL,
                "pinning and import need the directory /sys/fs/bpf on a mounted bpf file system"));

        mvc.perform(post("/api/v1/maps/import").contentType(MediaType.APPLICATION_JSON).content("{\"path\": \"m\"}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:backend-unavailable"))
                .andExpect(jsonPath("$.backend").value("KERNEL"));
    }

    @Test
    void aMissingPathOrAnUnknownFieldIsA400BeforeTheService() throws Exception {
        mvc.perform(post("/api/v1/maps/import").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errno").value("EINVAL"))
                .andExpect(jsonPath("$.errors[0]").value("path: must not be blank"));
        mvc.perform(post("/api/v1/maps/{id}/pin", MAP).contentType(MediaType.APPLICATION_JSON).content("{\"pth\": \"x\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:malformed-request"));
        mvc.perform(post("/api/v1/maps/import").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"path\": \"m\", \"backend\": \"BOTH\"}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(pins);
    }
}
