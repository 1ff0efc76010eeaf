// The port and Confluent.Kafka both name these types; in this project the bare names mean the port's, and the
// Kafka* aliases the client's.
global using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
global using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
global using TopicDescription = Datastream.Pipelines.Log.TopicDescription;
global using TopicPartition = Datastream.Pipelines.Log.TopicPartition;
global using TopicPartitionOffset = Datastream.Pipelines.Log.TopicPartitionOffset;
