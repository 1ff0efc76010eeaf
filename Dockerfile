# Multi-stage build of the `datastream` CLI and web app. Runs as the non-root `app` user of the .NET images.
# Build: docker build -t datastream .     (needs a Docker engine; none runs on the development machine)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Datastream.slnx ./
# deploy/ holds files compiled into the assembly (the Kibana saved objects, the Elasticsearch index template).
COPY deploy/ deploy/
COPY src/ src/
RUN dotnet publish src/Datastream/Datastream.csproj -c Release -o /app --nologo

# The ASP.NET Core runtime: the host serves the web app (`datastream run --urls http://0.0.0.0:8080`).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The embedded engines and the local lake write under /data; with Kafka, Elasticsearch and GCS the container keeps no
# state of its own.
RUN mkdir -p /data && chown app:app /data
USER app
ENV DATASTREAM_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/datastream.dll"]
