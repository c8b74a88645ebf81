package io.bpfmapd.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.btf.BtfFixtures;
import io.bpfmapd.map.MapNotFoundException;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.map.SessionCounts;
import io.bpfmapd.session.SessionClosedException;
import io.bpfmapd.session.SessionNotFoundException;
import io.bpfmapd.session.SessionRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Status codes and problem details of the web layer, over mocked services. */
@WebMvcTest
class ProblemDetailsWebTest {

    private static final String MAP = "5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11";
    private static final String VALID_MAP = """
            {"name": "m", "type": "ARRAY", "valueSize": 8, "maxEntries": 4, "flags": ["MMAPABLE"]}""";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    MapService maps;

    @MockitoBean
    SessionRegistry sessions;

    @MockitoBean
    io.bpfmapd.map.PinService pins;

    @MockitoBean
    CurrentPrincipal principal;

    @MockitoBean
    io.bpfmapd.export.ExportRegistry exports;

    @MockitoBean
    io.bpfmapd.live.StreamRegistry streams;

    @MockitoBean
    io.bpfmapd.live.EventHub events;

    @BeforeEach
    void defaults() {
        when(sessions.countFor(anyString())).thenReturn(SessionCounts.NONE);
        when(principal.name()).thenReturn("anonymous");
        when(maps.maxRangeCount()).thenReturn(1024);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "EINVAL, 400, Invalid argument (EINVAL)",
            "E2BIG, 400, Argument list too long (E2BIG)",
            "EPERM, 403, Operation not permitted (EPERM)",
            "EACCES, 403, Permission denied (EACCES)",
            "ENOENT, 404, No such file or directory (ENOENT)",
            "EBUSY, 409, Device or resource busy (EBUSY)",
            "EEXIST, 409, File exists (EEXIST)",
            "ENOTSUPP, 422, Operation not supported (kernel-internal ENOTSUPP) (ENOTSUPP)",
            "ENOMEM, 503, Cannot allocate memory (ENOMEM)",
            "EFAULT, 500, Bad address (EFAULT)",
            "ENAMETOOLONG, 400, File name too long (ENAMETOOLONG)",
            "ENFILE, 503, Too many open files in system (ENFILE)",
            "ENOKEY, 401, Required key not available (ENOKEY)"})
    void everyErrnoIsAProblemWithItsStatus(Errno errno, int status, String title) throws Exception {
        when(maps.freeze(MAP)).thenThrow(new BpfException(errno, "BPF_MAP_FREEZE", "why it failed"));

        problem(mvc.perform(post("/api/v1/maps/{id}/freeze", MAP)), status,
                "urn:bpfmapd:problem:" + errno.name().toLowerCase())
                .andExpect(jsonPath("$.errno").value(errno.name()))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.detail").value("BPF_MAP_FREEZE: " + errno.name() + " (why it failed)"))
                .andExpect(jsonPath("$.operation").value("BPF_MAP_FREEZE"))
                .andExpect(jsonPath("$.instance").value("/api/v1/maps/" + MAP + "/freeze"));
    }

    @Test
    void unknownMapIs404MapNotFound() throws Exception {
        when(maps.get("nope")).thenThrow(new MapNotFoundException("nope"));

        problem(mvc.perform(get("/api/v1/maps/nope")), 404, "urn:bpfmapd:problem:map-not-found")
                .andExpect(jsonPath("$.errno").value("ENOENT"))
                .andExpect(jsonPath("$.title").value("Map not found"))
                .andExpect(jsonPath("$.detail").value("no map with id nope"));
    }

    @Test
    void unknownSessionIs404SessionNotFound() throws Exception {
        when(sessions.get("nope")).thenThrow(new SessionNotFoundException("nope"));

        problem(mvc.perform(get("/api/v1/sessions/nope")), 404, "urn:bpfmapd:problem:session-not-found")
                .andExpect(jsonPath("$.errno").value("ENOENT"))
                .andExpect(jsonPath("$.title").value("Session not found"));
    }

    @Test
    void aReadThatLostTheRaceWithCloseIs410SessionClosed() throws Exception {
        when(sessions.read(eq("s"), anyLong(), any())).thenThrow(new SessionClosedException("s", null));

        problem(mvc.perform(get("/api/v1/sessions/s/memory")), 410, "urn:bpfmapd:problem:session-closed")
                .andExpect(jsonPath("$.title").value("Session closed during the request"))
                .andExpect(jsonPath("$.detail").value("session s was closed while the request used it"));
    }

    @Test
    void anUnavailableBackendIs503() throws Exception {
        when(maps.create(any())).thenThrow(new BackendUnavailableException(BackendKind.KERNEL, "bpf(): EPERM"));

        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON).content(VALID_MAP)), 503,
                "urn:bpfmapd:problem:backend-unavailable")
                .andExpect(jsonPath("$.backend").value("KERNEL"))
                .andExpect(jsonPath("$.detail").value(containsString("bpf(): EPERM")));
    }

    @Test
    void malformedJsonIs400AndReachesNoService() throws Exception {
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON).content("{\"type\": ")),
                400, "urn:bpfmapd:problem:malformed-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"))
                .andExpect(jsonPath("$.title").value("Malformed request body"));
        verify(maps, never()).create(any());
    }

    @Test
    void unknownEnumIs400NamingTheField() throws Exception {
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\": \"HASH\", \"valueSize\": 8, \"maxEntries\": 4}")),
                400, "urn:bpfmapd:problem:malformed-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"))
                .andExpect(jsonPath("$.detail").value(containsString("at type:")))
                .andExpect(jsonPath("$.detail").value(containsString("HASH")));
        verify(maps, never()).create(any());
    }

    @Test
    void unknownFlagAndUnknownFieldAre400() throws Exception {
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON).content(
                "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"flags\": [\"NOPE\"]}")),
                400, "urn:bpfmapd:problem:malformed-request")
                .andExpect(jsonPath("$.detail").value(containsString("flags[0]")));
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON).content(
                "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"colour\": 1}")),
                400, "urn:bpfmapd:problem:malformed-request")
                .andExpect(jsonPath("$.detail").value(containsString("colour")));
        verify(maps, never()).create(any());
    }

    @Test
    void missingFieldsAre400InvalidRequestListingEach() throws Exception {
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"way-too-long-name!\"}")),
                400, "urn:bpfmapd:problem:invalid-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"))
                .andExpect(jsonPath("$.errors.length()").value(4))
                .andExpect(jsonPath("$.errors[0]").value(containsString("maxEntries")))
                .andExpect(jsonPath("$.detail").value(containsString("valueSize")));
        verify(maps, never()).create(any());
    }

    @Test
    void badFormatIs400Einval() throws Exception {
        problem(mvc.perform(get("/api/v1/maps/{id}/values/0?format=u128", MAP)), 400, "urn:bpfmapd:problem:einval")
                .andExpect(jsonPath("$.errno").value("EINVAL"))
                .andExpect(jsonPath("$.operation").value("format"))
                .andExpect(jsonPath("$.detail").value(containsString("u128")));
        verify(maps, never()).lookup(anyString(), anyInt());
    }

    @Test
    void btfOfAKindThisServiceDoesNotKnowIs422NotA500() throws Exception {
        // A newer kernel's kind (20 and up): BTF gives no length for a kind's data, so it cannot be skipped.
        byte[] blob = BtfFixtures.allKindsBlob();
        java.nio.ByteBuffer.wrap(blob).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(24 + 4, 20 << 24);
        when(maps.btf(MAP)).thenReturn(new MapBtf(blob, 7, 0, BtfFixtures.VALUE));

        problem(mvc.perform(get("/api/v1/maps/{id}/btf", MAP)), 422, "urn:bpfmapd:problem:eopnotsupp")
                .andExpect(jsonPath("$.errno").value("EOPNOTSUPP"))
                .andExpect(jsonPath("$.detail").value(containsString("kind 20")));
    }

    @Test
    void aValueNotAWholeNumberOfTheFormatIs400() throws Exception {
        when(maps.lookup(MAP, 0)).thenReturn(new byte[12]);

        problem(mvc.perform(get("/api/v1/maps/{id}/values/0?format=u64", MAP)), 400, "urn:bpfmapd:problem:einval")
                .andExpect(jsonPath("$.detail").value(containsString("12 bytes")));
    }

    @Test
    void badIndexesAre400() throws Exception {
        problem(mvc.perform(get("/api/v1/maps/{id}/values/-1", MAP)), 400, "urn:bpfmapd:problem:invalid-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"));
        problem(mvc.perform(get("/api/v1/maps/{id}/values/x", MAP)), 400, "urn:bpfmapd:problem:invalid-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"));
        problem(mvc.perform(get("/api/v1/maps/{id}/values/99999999999", MAP)), 400,
                "urn:bpfmapd:problem:invalid-request");
        verifyNoInteractions(maps);
    }

    @Test
    void writesNeedExactlyOneValueField() throws Exception {
        problem(mvc.perform(put("/api/v1/maps/{id}/values/0", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hex\": \"00\", \"u8\": [0]}")), 400, "urn:bpfmapd:problem:einval")
                .andExpect(jsonPath("$.detail").value(containsString("exactly one")));
        problem(mvc.perform(put("/api/v1/maps/{id}/values/0", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{}")), 400, "urn:bpfmapd:problem:einval");
        problem(mvc.perform(put("/api/v1/maps/{id}/values/0", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"u8\": [256]}")), 400, "urn:bpfmapd:problem:einval");
        problem(mvc.perform(put("/api/v1/maps/{id}/values/0", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hex\": \"xyz\"}")), 400, "urn:bpfmapd:problem:einval");
        verify(maps, never()).update(anyString(), anyInt(), any(), any());
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsMessage() throws Exception {
        when(maps.list()).thenThrow(new IllegalStateException("secret internals"));

        problem(mvc.perform(get("/api/v1/maps")), 500, "urn:bpfmapd:problem:internal-error")
                .andExpect(content().string(not(containsString("secret"))));
    }

    /** Spring would strip the blanks (" 12", "1 2" as 12); an integer parameter is the digits as written. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"/api/v1/maps/{id}/values?count=1%202", "/api/v1/maps/{id}/values?from=%2012",
            "/api/v1/maps/{id}/values?count=1.5", "/api/v1/maps/{id}/values/%2012", "/api/v1/maps/{id}/values/1e1"})
    void anIntegerParameterThatIsNotAnIntegerIs400(String uri) throws Exception {
        problem(mvc.perform(get(java.net.URI.create(uri.replace("{id}", MAP)))), 400,
                "urn:bpfmapd:problem:invalid-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"));
        verify(maps, never()).range(anyString(), anyInt());
        verify(maps, never()).range(anyString(), anyInt(), anyInt());
        verify(maps, never()).lookup(anyString(), anyInt());
    }

    @Test
    void springsOwnErrorsAreProblemsToo() throws Exception {
        problem(mvc.perform(patch("/api/v1/maps/{id}", MAP)), 405, "urn:bpfmapd:problem:method-not-allowed");
        problem(mvc.perform(post("/api/v1/maps").contentType(MediaType.TEXT_PLAIN).content("x")), 415,
                "urn:bpfmapd:problem:unsupported-media-type");
        problem(mvc.perform(get("/api/v1/nothing-here")), 404, "urn:bpfmapd:problem:not-found");
        problem(mvc.perform(get("/api/v1/maps/{id}/values?from=x", MAP)), 400, "urn:bpfmapd:problem:invalid-request")
                .andExpect(jsonPath("$.errno").value("EINVAL"));
    }

    @Test
    void aClientAskingForBytesStillGetsAJsonProblem() throws Exception {
        when(maps.dataStream(eq(MAP), any())).thenThrow(new BpfException(Errno.EACCES, "mmap", "BPF_F_WRONLY"));

        problem(mvc.perform(get("/api/v1/maps/{id}/values", MAP).accept(MediaType.APPLICATION_OCTET_STREAM)), 403,
                "urn:bpfmapd:problem:eacces");
    }

    @Test
    void createAnswers201WithLocationAndTheMap() throws Exception {
        when(maps.create(any())).thenReturn(view());

        mvc.perform(post("/api/v1/maps").contentType(MediaType.APPLICATION_JSON).content(VALID_MAP))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/maps/" + MAP))
                .andExpect(jsonPath("$.id").value(MAP))
                .andExpect(jsonPath("$.elemSize").value(8))
                .andExpect(jsonPath("$.dataSize").value(4096))
                .andExpect(jsonPath("$.flags[0]").value("MMAPABLE"))
                .andExpect(jsonPath("$.mmapable").value(true))
                .andExpect(jsonPath("$.sessions.active").value(0))
                .andExpect(jsonPath("$.kernelId").value(7))
                .andExpect(jsonPath("$.pinnedPath").isEmpty());
    }

    @Test
    void valuesReadInEveryFormat() throws Exception {
        when(maps.lookup(MAP, 3)).thenReturn(new byte[] {111, 0, 0, 0, 0, 0, 0, (byte) 0x80});

        mvc.perform(get("/api/v1/maps/{id}/values/3", MAP)).andExpect(status().isOk())
                .andExpect(jsonPath("$.index").value(3))
                .andExpect(jsonPath("$.hex").value("6f00000000000080"))
                .andExpect(jsonPath("$.u64").doesNotExist());
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=u64", MAP))
                .andExpect(content().json("{\"index\": 3, \"u64\": [\"9223372036854775919\"]}", true));
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=i64", MAP))
                .andExpect(content().json("{\"index\": 3, \"i64\": [\"-9223372036854775697\"]}", true));
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=u32", MAP))
                .andExpect(content().json("{\"index\": 3, \"u32\": [111, 2147483648]}", true));
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=u16", MAP))
                .andExpect(content().json("{\"index\": 3, \"u16\": [111, 0, 0, 32768]}", true));
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=u8", MAP))
                .andExpect(content().json("{\"index\": 3, \"u8\": [111, 0, 0, 0, 0, 0, 0, 128]}", true));
        mvc.perform(get("/api/v1/maps/{id}/values/3?format=base64", MAP))
                .andExpect(content().json("{\"index\": 3, \"base64\": \"bwAAAAAAAIA=\"}", true));
    }

    @Test
    void aU64WriteIsLittleEndianBytes() throws Exception {
        mvc.perform(put("/api/v1/maps/{id}/values/2", MAP).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"u64\": [18446744073709551615], \"flags\": \"EXIST\"}"))
                .andExpect(status().isNoContent());
        verify(maps).update(eq(MAP), eq(2), eq(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}), eq(UpdateFlag.EXIST));
    }

    @Test
    void withoutAcceptTheValuesPathAnswersJson() throws Exception {
        when(maps.range(MAP, 0)).thenReturn(java.util.List.of(new byte[] {1}, new byte[] {2}));

        mvc.perform(get("/api/v1/maps/{id}/values", MAP).accept(MediaType.ALL))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(content().json("{\"from\": 0, \"count\": 2, \"format\": \"hex\", \"values\": "
                        + "[{\"index\": 0, \"hex\": \"01\"}, {\"index\": 1, \"hex\": \"02\"}]}", true));
    }

    @Test
    void deleteAnswers204() throws Exception {
        mvc.perform(delete("/api/v1/maps/{id}", MAP)).andExpect(status().isNoContent());
        verify(maps).delete(MAP);
    }

    private static ResultActions problem(ResultActions result, int status, String type) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(type))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isNotEmpty());
    }

    private static MapView view() {
        MapSpec spec = new MapSpec("m", MapType.ARRAY, 4, 8, 4, MapFlag.MMAPABLE.bit(), false);
        return new MapView(MAP, BackendKind.EMULATED, Instant.parse("2025-01-01T00:00:00Z"),
                new MapInfo(spec, 7, false, 0, 0, Optional.empty()), MapGeometry.of(spec, 2, 4096));
    }
}
