// Placeholder until the resilience core lands; replaced by the demo job.
print("moko-demo")
