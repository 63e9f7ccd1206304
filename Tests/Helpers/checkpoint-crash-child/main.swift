print("checkpoint-crash-child")
