package io.bpfmapd.clients.java;

import io.bpfmapd.client.ApiClient;
import io.bpfmapd.client.ApiException;
import io.bpfmapd.client.api.MapsApi;
import io.bpfmapd.client.api.SessionsApi;
import io.bpfmapd.client.model.Problem;

/** How the {@code native} client is set up and how it reports a refusal: an ApiException with the body. */
final class Calls {

    private Calls() {
    }

    static ApiClient client(String baseUrl, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
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
        } catch (ApiException e) {
            Problem problem = new ApiClient().getObjectMapper().readValue(e.getResponseBody(), Problem.class);
            Scenarios.check(problem.getStatus() == e.getCode(), "status " + problem.getStatus() + " in the body, "
                    + e.getCode() + " on the wire");
            Scenarios.check(e.getResponseHeaders().firstValue("Content-Type").orElse("")
                    .startsWith("application/problem+json"), "content type of " + e.getResponseHeaders());
            return problem;
        }
        throw new AssertionError("the call succeeded; a problem was expected");
    }
}
