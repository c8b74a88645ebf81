package io.bpfmapd.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Limits as problem details: a body over bpfmapd.limits.max-request-bytes (1 KiB here) and a full service. */
@SecuredSliceTest
class LimitProblemsWebTest {

    @Autowired
    MockMvc mvc;

    @Test
    void aBodyOverTheLimitIsA413BeforeAnyControllerRuns() throws Exception {
        mvc.perform(put("/api/v1/sessions/s-new/memory")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + SecuredSliceTest.WRITER)
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[1025]))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:limit-exceeded"))
                .andExpect(jsonPath("$.status").value(413))
                .andExpect(jsonPath("$.errno").value("E2BIG"))
                .andExpect(jsonPath("$.limit").value("bpfmapd.limits.max-request-bytes"))
                .andExpect(jsonPath("$.max").value(1024));
    }

    @Test
    void aBodyAtTheLimitPasses() throws Exception {
        mvc.perform(put("/api/v1/sessions/s-new/memory")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + SecuredSliceTest.WRITER)
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[1024]))
                .andExpect(status().isOk());
    }

    @Test
    void theRoleIsCheckedBeforeTheBodySize() throws Exception {
        mvc.perform(put("/api/v1/sessions/s-new/memory")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + SecuredSliceTest.READER)
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[4096]))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/v1/sessions/s-new/memory")
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[4096]))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aFullServiceIsA429NamingTheLimit() throws Exception {
        mvc.perform(AccessRulesWebTest.call("POST", "/api/v1/maps/full/pin", SecuredSliceTest.ADMIN))
                .andExpect(status().isTooManyRequests())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:limit-exceeded"))
                .andExpect(jsonPath("$.title").value("Limit exceeded"))
                .andExpect(jsonPath("$.detail").value("the service holds 3 maps already"))
                .andExpect(jsonPath("$.errno").value("ENOSPC"))
                .andExpect(jsonPath("$.limit").value("bpfmapd.limits.max-maps"))
                .andExpect(jsonPath("$.max").value(3))
                .andExpect(jsonPath("$.instance").value("/api/v1/maps/full/pin"));
    }
}
