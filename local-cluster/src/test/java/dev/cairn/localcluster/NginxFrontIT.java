package dev.cairn.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NginxFrontIT {

    @TempDir
    Path prefix;

    @Test
    void rendersEveryGatewayAsAnUpstreamAndLeavesNoPlaceholder() {
        String config = NginxFront.render(18080, List.of(40001, 40002), prefix, "2m");
        assertThat(config)
                .contains("listen 127.0.0.1:18080;")
                .contains("server 127.0.0.1:40001 max_fails=1 fail_timeout=2s;")
                .contains("server 127.0.0.1:40002 max_fails=1 fail_timeout=2s;")
                .contains("client_max_body_size 2m;")
                .contains("proxy_set_header Upgrade $http_upgrade;")
                .contains("root " + prefix.resolve("console") + ";")
                .contains("try_files $uri $uri/ @gateway;")
                .contains("add_header Content-Security-Policy")
                .doesNotContain("{{");
    }

    @Test
    void nginxAcceptsTheRenderedConfiguration() throws Exception {
        Optional<Path> nginx = NginxFront.executable();
        assumeTrue(nginx.isPresent(), "nginx is not installed");
        Path console = Files.createDirectories(prefix.resolve("source/console/js"));
        Files.writeString(console.resolve("main.js"), "export {};");
        var process = NginxFront.create(nginx.get(), 18080, List.of(40001, 40002), console.getParent(), prefix, prefix.resolve("nginx.log"));
        Path config = prefix.resolve("nginx/nginx.conf");
        assertThat(config).exists();
        Process test = new ProcessBuilder(nginx.get().toString(), "-t", "-p", prefix.resolve("nginx").toString(), "-c", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(test.getInputStream().readAllBytes());
        assertThat(test.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(test.exitValue()).as(output).isZero();
        assertThat(output).contains("syntax is ok");
        assertThat(process.port()).isEqualTo(18080);
        assertThat(Files.isDirectory(prefix.resolve("nginx/client_body"))).isTrue();
        assertThat(prefix.resolve("nginx/console/js/main.js")).as("the console, where nginx's workers can read it").hasContent("export {};");
    }
}
