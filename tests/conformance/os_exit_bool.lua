-- os.exit(false) exits with a failure status (1) after flushing output.
print("exiting with false")
os.exit(false)
