package io.bpfmapd.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The role table enforced by the real filter chain, and its 401/403 problem details. */
@SecuredSliceTest
class AccessRulesWebTest {

    @Autowired
    MockMvc mvc;

    static MockHttpServletRequestBuilder call(String method, String path, String token) {
        var builder = request(HttpMethod.valueOf(method), path).contentType(MediaType.APPLICATION_JSON).content("{}");
        return token == null ? builder : builder.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    static String token(String who) {
        return switch (who) {
            case "reader" -> SecuredSliceTest.READER;
            case "writer" -> SecuredSliceTest.WRITER;
            case "admin" -> SecuredSliceTest.ADMIN;
            default -> throw new IllegalArgumentException(who);
        };
    }

    @ParameterizedTest(name = "{0} {1}: reader {2}, writer {3}, admin {4}")
    @CsvSource({
            "GET,    /api/v1/maps,                 200, 200, 200",
            "GET,    /api/v1/maps/7/values/3,      200, 200, 200",
            "GET,    /api/v1/sessions/s-1,         200, 200, 200",
            "PUT,    /api/v1/maps/7/values/3,      403, 200, 200",
            "POST,   /api/v1/maps/7/sessions,      403, 201, 201",
            "POST,   /api/v1/sessions/s-new/renew,   403, 200, 200",
            "DELETE, /api/v1/sessions/s-new,         403, 204, 204",
            "PUT,    /api/v1/sessions/s-new/memory,  403, 200, 200",
            "POST,   /api/v1/maps,                 403, 403, 201",
            "POST,   /api/v1/maps/import,          403, 403, 201",
            "POST,   /api/v1/maps/7/pin,           403, 403, 200",
            "POST,   /api/v1/maps/7/freeze,        403, 403, 200",
            "DELETE, /api/v1/maps/7,               403, 403, 204",
    })
    void eachRoleGetsWhatTheTableGivesIt(String method, String path, int reader, int writer, int admin)
            throws Exception {
        mvc.perform(call(method, path, token("reader"))).andExpect(status().is(reader));
        mvc.perform(call(method, path, token("writer"))).andExpect(status().is(writer));
        mvc.perform(call(method, path, token("admin"))).andExpect(status().is(admin));
        mvc.perform(call(method, path, null)).andExpect(status().isUnauthorized());
    }

    @Test
    void noTokenIsA401ProblemWithABearerChallenge() throws Exception {
        mvc.perform(call("GET", "/api/v1/maps", null))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"bpfmapd\""))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:unauthenticated"))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail").isString())
                .andExpect(jsonPath("$.instance").value("/api/v1/maps"))
                .andExpect(jsonPath("$.errno").value("ENOKEY"));
    }

    @Test
    void anUnknownTokenIsA401InvalidTokenEvenOnPublicEndpoints() throws Exception {
        for (String path : new String[] {"/api/v1/maps", "/actuator/health"}) {
            mvc.perform(call("GET", path, "not-a-configured-token"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer realm=\"bpfmapd\", error=\"invalid_token\""))
                    .andExpect(jsonPath("$.errno").value("ENOKEY"));
        }
    }

    @Test
    void theHashItselfIsNotAToken() throws Exception {
        mvc.perform(call("GET", "/api/v1/maps", TokenHash.sha256Hex(SecuredSliceTest.ADMIN)))
                .andExpect(status().isUnauthorized());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "Bearer a b", "Token x"})
    void anAuthorizationHeaderThatIsNotABearerTokenIsA401(String header) throws Exception {
        mvc.perform(request(HttpMethod.GET, "/api/v1/maps").header(HttpHeaders.AUTHORIZATION, header))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.errno").value("ENOKEY"));
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        mvc.perform(request(HttpMethod.GET, "/api/v1/maps")
                        .header(HttpHeaders.AUTHORIZATION, "bearer " + SecuredSliceTest.READER))
                .andExpect(status().isOk());
    }

    @Test
    void aMissingRoleIsA403ProblemNamingWhoAndWhatRole() throws Exception {
        mvc.perform(call("POST", "/api/v1/maps/7/freeze", SecuredSliceTest.WRITER))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:forbidden"))
                .andExpect(jsonPath("$.title").value("Forbidden"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.detail").value(
                        "'writer-bot' lacks the role 'admin' that POST /api/v1/maps/7/freeze needs"))
                .andExpect(jsonPath("$.errno").value("EACCES"));
    }

    @Test
    void unknownApiMutationsNeedAdmin() throws Exception {
        mvc.perform(call("PATCH", "/api/v1/maps/7", SecuredSliceTest.WRITER)).andExpect(status().isForbidden());
    }

    @Test
    void noSessionCookieIsEverSet() throws Exception {
        mvc.perform(call("GET", "/api/v1/maps", SecuredSliceTest.READER))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }
}
