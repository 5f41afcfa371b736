print("passkey-bench")
