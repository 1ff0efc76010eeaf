# Multi-stage build of the `datastream` CLI. Runs as the non-root `app` user of the .NET images.
# Build: docker build -t datastream .     (needs a Docker engine; none runs on the development machine)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Datastream.slnx ./
COPY src/ src/
RUN dotnet publish src/Datastream/Datastream.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The embedded engines write under /data; with Kafka the container keeps no state of its own.
RUN mkdir -p /data && chown app:app /data
USER app
ENV DATASTREAM_DATA_DIR=/data
ENTRYPOINT ["dotnet", "/app/datastream.dll"]
