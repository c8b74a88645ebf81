package io.bpfmapd.security;

import static io.bpfmapd.security.AccessRulesWebTest.call;
import static io.bpfmapd.security.FakeSessionOwners.WRITERS_SESSION;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** A session belongs to its opener: {@code s-writer} is writer-bot's. */
@SecuredSliceTest
class SessionOwnershipWebTest {

    @Autowired
    MockMvc mvc;

    @ParameterizedTest(name = "{0} {1}: owner {2}, other writer {3}, admin {4}, reader {5}")
    @CsvSource({
            "POST,   /renew,  200, 403, 403, 403",
            "PUT,    /memory, 200, 403, 403, 403",
            "DELETE, '',      204, 403, 204, 403",
            "GET,    '',      200, 200, 200, 200",
            "GET,    /memory, 200, 200, 200, 200",
    })
    void onlyTheOwnerRenewsWritesAndClosesAndOnlyAdminClosesForIt(String method, String suffix, int owner,
                                                                  int otherWriter, int admin, int reader) throws Exception {
        String path = "/api/v1/sessions/" + WRITERS_SESSION + suffix;
        mvc.perform(call(method, path, SecuredSliceTest.WRITER)).andExpect(status().is(owner));
        mvc.perform(call(method, path, SecuredSliceTest.OTHER_WRITER)).andExpect(status().is(otherWriter));
        mvc.perform(call(method, path, SecuredSliceTest.ADMIN)).andExpect(status().is(admin));
        mvc.perform(call(method, path, SecuredSliceTest.READER)).andExpect(status().is(reader));
    }

    @ParameterizedTest
    @CsvSource({"POST, /renew, renew", "PUT, /memory, write through", "DELETE, '', close"})
    void anotherPrincipalsSessionIsA403NamingTheOwner(String method, String suffix, String verb) throws Exception {
        mvc.perform(call(method, "/api/v1/sessions/" + WRITERS_SESSION + suffix, SecuredSliceTest.OTHER_WRITER))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:not-session-owner"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.errno").value("EACCES"))
                .andExpect(jsonPath("$.detail").value("session s-writer belongs to 'writer-bot'; 'other-writer' may not "
                        + verb + " it"));
    }

    @ParameterizedTest
    @CsvSource({"POST, /renew", "PUT, /memory", "DELETE, ''"})
    void aReaderIsRefusedForItsRoleNotForOwnership(String method, String suffix) throws Exception {
        mvc.perform(call(method, "/api/v1/sessions/" + WRITERS_SESSION + suffix, SecuredSliceTest.READER))
                .andExpect(jsonPath("$.type").value("urn:bpfmapd:problem:forbidden"));
    }

    @ParameterizedTest
    @CsvSource({"POST, /renew", "PUT, /memory", "DELETE, ''"})
    void withoutATokenItIsStillA401(String method, String suffix) throws Exception {
        mvc.perform(call(method, "/api/v1/sessions/" + WRITERS_SESSION + suffix, null))
                .andExpect(status().isUnauthorized());
    }
}
