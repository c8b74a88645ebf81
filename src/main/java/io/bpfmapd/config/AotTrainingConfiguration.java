package io.bpfmapd.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bpfmapd.aot-training=true}: the run that trains the JDK 25 AOT cache ({@code -XX:AOTCacheOutput},
 * docker/Dockerfile and src/bench/startup.sh). Once the application is ready (readiness accepts
 * traffic only from {@link ApplicationReadyEvent} on), it sends {@link AotTrainingRequests} to its own
 * port and then exits; the JVM writes the cache at exit. Never set it on a service that should keep
 * running.
 *
 * <p>The beans exist in every run and the listener reads the property: with Spring AOT (the image,
 * whose cache is trained in AOT mode too) a condition would be decided when the jar is built.
 */
@Configuration(proxyBeanMethods = false)
class AotTrainingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AotTrainingConfiguration.class);

    /** How the training run ends: closes the context with an exit code. A test replaces it. */
    @FunctionalInterface
    interface TrainingExit {
        void exit(ConfigurableApplicationContext context, int code);
    }

    @Bean
    TrainingExit trainingExit() {
        return (context, code) -> System.exit(SpringApplication.exit(context, () -> code));
    }

    @Bean
    AotTrainingRun aotTrainingRun(TrainingExit exit, JsonMapper json,
                                  @Value("${bpfmapd.aot-training:false}") boolean training,
                                  @Value("${server.address:#{null}}") String serverAddress) {
        return new AotTrainingRun(exit, json, training, serverAddress);
    }

    static final class AotTrainingRun {

        private final TrainingExit exit;
        private final JsonMapper json;
        private final boolean training;
        private final String serverAddress;

        AotTrainingRun(TrainingExit exit, JsonMapper json, boolean training, String serverAddress) {
            this.exit = exit;
            this.json = json;
            this.training = training;
            this.serverAddress = serverAddress;
        }

        /** On a thread of its own, so that the start-up itself completes as in any run. */
        @EventListener(ApplicationReadyEvent.class)
        void onReady(ApplicationReadyEvent event) {
            if (!training) {
                return;
            }
            ConfigurableApplicationContext context = event.getApplicationContext();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            URI base = URI.create("http://" + host() + ":" + port);
            Thread.ofPlatform().name("aot-training").start(() -> {
                int code = 0;
                try {
                    log.info("AOT training: {} requests sent to {}", new AotTrainingRequests(base, json).run().size(),
                            base);
                } catch (Exception e) {
                    log.error("AOT training failed", e);
                    code = 1;
                }
                exit.exit(context, code);
            });
        }

        /** The bound address, or loopback when bound to all interfaces (or unset). */
        private String host() {
            try {
                if (serverAddress != null && !serverAddress.isBlank()
                        && !InetAddress.getByName(serverAddress.strip()).isAnyLocalAddress()) {
                    String host = serverAddress.strip();
                    return host.contains(":") ? "[" + host + "]" : host;
                }
            } catch (UnknownHostException e) {
                // The server could not have bound to it either; loopback is the best guess.
            }
            return "127.0.0.1";
        }
    }
}
