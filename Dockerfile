# syntax=docker/dockerfile:1
# One image per Cairn process, from one Dockerfile:
#   docker build --build-arg MODULE=wallet-service -t cairn/wallet-service .
# compose/cairn.yaml builds every service this way.
ARG JAVA_VERSION=17

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl ${MODULE} -am package \
 && java -Djarmode=tools -jar ${MODULE}/target/${MODULE}.jar extract --destination /app \
 && mv /app/${MODULE}.jar /app/app.jar

FROM eclipse-temurin:${JAVA_VERSION}-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app cairn
COPY --from=build --chown=cairn /app /app
USER 10001
WORKDIR /app
# See docs/local-cluster.md for why these flags; MALLOC_ARENA_MAX keeps glibc from adding an
# arena per thread.
ENV MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms48m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=128m -Xss512k -XX:+ExitOnOutOfMemoryError" \
    SERVER_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
