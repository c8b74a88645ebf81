package io.bpfmapd.variables;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.web.CurrentPrincipal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The variables endpoints' answers and problems: what the controller adds to the service. */
@WebMvcTest(VariableController.class)
class VariableWebTest {

    private static final String MAP = "5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    VariableService variables;

    @MockitoBean
    CurrentPrincipal principal;

    @Test
    void aMapThatIsNoSectionIs404NotASection() throws Exception {
        when(variables.list(MAP)).thenThrow(new NotASectionException(MAP, "its value type is a STRUCT, not a DATASEC"));

        mvc.perform(get("/api/v1/maps/{id}/variables", MAP))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:not-a-section"))
                .andExpect(jsonPath("$.errno").value("ENOENT"));
    }

    @Test
    void anUnknownVariableIs404VariableNotFound() throws Exception {
        when(variables.get(MAP, "nope")).thenThrow(new VariableNotFoundException(MAP, ".bss", "nope"));

        mvc.perform(get("/api/v1/maps/{id}/variables/{name}", MAP, "nope"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:variable-not-found"))
                .andExpect(jsonPath("$.detail").value("section .bss of map " + MAP + " has no variable named 'nope'"));
    }

    @Test
    void aWriteIs204AndPassesTheValueOn() throws Exception {
        mvc.perform(put("/api/v1/maps/{id}/variables/{name}", MAP, "cfg").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"value\": {\"multiplier\": 3}}"))
                .andExpect(status().isNoContent());

        verify(variables).put(MAP, "cfg", JsonMapper.shared().readTree("{\"multiplier\": 3}"));
    }

    @Test
    void aWriteWithoutAValueIs400AndReachesNothing() throws Exception {
        mvc.perform(put("/api/v1/maps/{id}/variables/{name}", MAP, "cfg").contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errno").value("EINVAL"));
        mvc.perform(put("/api/v1/maps/{id}/variables/{name}", MAP, "cfg").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"value\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:malformed-request"));

        verifyNoInteractions(variables);
    }

    @Test
    void theKernelsRefusalIsItsErrno() throws Exception {
        doThrow(new BpfException(Errno.EPERM, "BPF_MAP_UPDATE_ELEM", "the map is frozen"))
                .when(variables).put(eq(MAP), eq("version"), any());

        mvc.perform(put("/api/v1/maps/{id}/variables/{name}", MAP, "version").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"value\": 8}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:eperm"))
                .andExpect(jsonPath("$.errno").value("EPERM"));
    }
}
