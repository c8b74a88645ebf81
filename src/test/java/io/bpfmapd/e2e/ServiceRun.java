package io.bpfmapd.e2e;

import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.testing.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One run of the whole service on a random port, to be closed as a restart would close it. */
final class ServiceRun implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    final ApiClient http;
    final PinApi api;

    private ServiceRun(ConfigurableApplicationContext context) {
        this.context = context;
        this.http = ApiClient.at(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
        this.api = new PinApi(http);
    }

    /** Starts the service with these {@code key=value} properties (and a random port), as command-line arguments. */
    static ServiceRun start(String... properties) {
        List<String> args = new ArrayList<>();
        for (String p : properties) {
            args.add("--" + p);
        }
        args.add("--server.port=0");
        args.add("--spring.main.banner-mode=off");
        return new ServiceRun(new SpringApplicationBuilder(BpfmapdApplication.class).run(args.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
