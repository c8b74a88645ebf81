package io.bpfmapd;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BpfmapdApplication {

    public static void main(String[] args) {
        SpringApplication.run(BpfmapdApplication.class, args);
    }
}
