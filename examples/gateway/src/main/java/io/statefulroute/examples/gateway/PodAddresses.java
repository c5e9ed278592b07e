package io.statefulroute.examples.gateway;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where pod {@code n} of the game service answers: {@code gateway.pod-urls.n} when set, else {@code
 * gateway.pod-url} with {@code {pod}} replaced (a StatefulSet's stable DNS name).
 */
@ConfigurationProperties("gateway")
public class PodAddresses {
  private String podUrl = "http://game-{pod}.game:8080";
  private Map<Integer, String> podUrls = new HashMap<>();
  private String service = "game";

  String url(int pod) {
    String url = podUrls.get(pod);
    return url != null ? url : podUrl.replace("{pod}", Integer.toString(pod));
  }

  public String getPodUrl() {
    return podUrl;
  }

  public void setPodUrl(String podUrl) {
    this.podUrl = podUrl;
  }

  public Map<Integer, String> getPodUrls() {
    return podUrls;
  }

  public void setPodUrls(Map<Integer, String> podUrls) {
    this.podUrls = podUrls;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }
}
