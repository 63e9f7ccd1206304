print("moko-bench")
