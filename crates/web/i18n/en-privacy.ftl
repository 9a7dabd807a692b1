# privacy: messages of this area (en)
