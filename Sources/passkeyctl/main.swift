print("passkeyctl")
