package dev.cairn.platform.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings every Cairn process understands.
 *
 * @param instanceId     id of this replica ({@code CAIRN_INSTANCEID}); derived from the
 *                       service name, host name and port when empty
 * @param parentPid      pid of a supervising launcher ({@code CAIRN_PARENTPID}); the process
 *                       exits when that process is gone, so a killed launcher leaves no orphans
 * @param maxRequestSize largest request body accepted ({@code CAIRN_MAXREQUESTSIZE}); larger
 *                       ones get 413
 * @param health         how the stores' health is checked
 */
@ConfigurationProperties("cairn")
public record CairnProperties(String instanceId, Long parentPid, @DefaultValue("2MB") DataSize maxRequestSize, @DefaultValue Health health) {

    /** @param mongoTimeout a MongoDB ping slower than this reports the service not ready ({@code CAIRN_HEALTH_MONGOTIMEOUT}) */
    public record Health(@DefaultValue("2s") Duration mongoTimeout) {
    }
}
