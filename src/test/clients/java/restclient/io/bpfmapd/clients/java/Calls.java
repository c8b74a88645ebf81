package io.bpfmapd.clients.java;

import io.bpfmapd.client.ApiClient;
import io.bpfmapd.client.api.MapsApi;
import io.bpfmapd.client.api.SessionsApi;
import io.bpfmapd.client.model.Problem;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/** How the {@code restclient} client is set up and how it reports a refusal: Spring's RestClientResponseException. */
final class Calls {

    private Calls() {
    }

    static ApiClient client(String baseUrl, String token) {
        ApiClient client = new ApiClient();
        client.setBasePath(baseUrl);
        if (token != null) {
            client.setBearerToken(token);
        }
        return client;
    }

    static MapsApi maps(String baseUrl, String token) {
        return new MapsApi(client(baseUrl, token));
    }

    static SessionsApi sessions(String baseUrl, String token) {
        return new SessionsApi(client(baseUrl, token));
    }

    /** The problem the call was refused with, read through the generated model; fails if it succeeded. */
    static Problem problem(Scenarios.Call call) throws Exception {
        try {
            call.run();
        } catch (RestClientResponseException e) {
            Problem problem = JsonMapper.shared().readValue(e.getResponseBodyAsByteArray(), Problem.class);
            Scenarios.check(problem.getStatus() == e.getStatusCode().value(), "status " + problem.getStatus()
                    + " in the body, " + e.getStatusCode() + " on the wire");
            MediaType type = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getContentType();
            Scenarios.check(MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(type), "content type " + type);
            return problem;
        }
        throw new AssertionError("the call succeeded; a problem was expected");
    }

    /** The bytes of a download: with useAbstractionForFiles, a Spring Resource. */
    static byte[] bytes(Resource resource) throws Exception {
        return resource.getContentAsByteArray();
    }

    /** Writes raw bytes through a session: with useAbstractionForFiles, the body is a Spring Resource. */
    static void writeBytes(SessionsApi sessions, String sid, long offset, byte[] bytes) {
        sessions.writeMemoryBytes(sid, new ByteArrayResource(bytes), offset);
    }
}
